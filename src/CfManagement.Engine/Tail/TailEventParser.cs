using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CfManagement.Model;

namespace CfManagement.Tail
{
    /// <summary>
    /// Turns one trace-v1 message (API-FACTS "Tail") into a <see cref="CfTailEvent"/>. Credential-like header values are
    /// replaced here, at parse time, so nothing downstream can leak them; a message that is not a trace event is
    /// refused with a <see cref="FormatException"/> naming what was wrong (never its content, which may hold secrets).
    /// </summary>
    public sealed class TailEventParser
    {
        private readonly bool _includeSensitiveHeaders;

        public TailEventParser(bool includeSensitiveHeaders) => _includeSensitiveHeaders = includeSensitiveHeaders;

        /// <param name="fallbackScriptName">The tailed script, used when the event does not name one.</param>
        public CfTailEvent Parse(ReadOnlyMemory<byte> utf8Json, string fallbackScriptName)
        {
            JsonDocument document;
            try { document = JsonDocument.Parse(utf8Json); }
            catch (JsonException e) { throw new FormatException($"A tail message is not JSON (line {e.LineNumber}, byte {e.BytePositionInLine}).", e); }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"A tail message is a JSON {root.ValueKind}, not an object.");
                var outcome = String(root, "outcome") ?? "unknown";
                var script = String(root, "scriptName");
                if (string.IsNullOrEmpty(script)) script = fallbackScriptName;
                var logs = ParseLogs(root);
                var exceptions = ParseExceptions(root);
                var kind = CfTailEventKind.Unknown;
                JsonElement ev = default;
                var hasEvent = root.TryGetProperty("event", out ev) && ev.ValueKind == JsonValueKind.Object;
                if (hasEvent) kind = KindOf(ev);
                var result = new CfTailEvent(outcome, script!, String(root, "entrypoint"), Time(root, "eventTimestamp"), kind, logs, exceptions);
                if (hasEvent) FillDetails(result, ev);
                return result;
            }
        }

        private static CfTailEventKind KindOf(JsonElement ev)
        {
            if (ev.TryGetProperty("request", out _)) return CfTailEventKind.Request;
            if (ev.TryGetProperty("cron", out _)) return CfTailEventKind.Scheduled;
            if (ev.TryGetProperty("queue", out _)) return CfTailEventKind.Queue;
            if (ev.TryGetProperty("mailFrom", out _) || ev.TryGetProperty("rcptTo", out _)) return CfTailEventKind.Email;
            if (ev.TryGetProperty("rpcMethod", out _)) return CfTailEventKind.Rpc;
            if (ev.TryGetProperty("consumedEvents", out _)) return CfTailEventKind.Tail;
            if (ev.TryGetProperty("scheduledTime", out _)) return CfTailEventKind.Alarm;
            return CfTailEventKind.Unknown;
        }

        private void FillDetails(CfTailEvent result, JsonElement ev)
        {
            switch (result.Kind)
            {
                case CfTailEventKind.Request:
                    result.Request = ParseRequest(ev);
                    break;
                case CfTailEventKind.Scheduled:
                    result.Cron = String(ev, "cron");
                    result.ScheduledTime = Time(ev, "scheduledTime");
                    break;
                case CfTailEventKind.Alarm:
                    result.AlarmTime = Time(ev, "scheduledTime");
                    break;
                case CfTailEventKind.Queue:
                    result.Queue = String(ev, "queue");
                    result.BatchSize = ev.TryGetProperty("batchSize", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out var n) ? n : (int?)null;
                    break;
                case CfTailEventKind.Email:
                    result.EmailFrom = String(ev, "mailFrom");
                    result.EmailTo = String(ev, "rcptTo");
                    result.EmailSize = ev.TryGetProperty("rawSize", out var raw) && raw.ValueKind == JsonValueKind.Number && raw.TryGetInt64(out var l) ? l : (long?)null;
                    break;
                case CfTailEventKind.Rpc:
                    result.RpcMethod = String(ev, "rpcMethod");
                    break;
            }
        }

        private CfTailRequest ParseRequest(JsonElement ev)
        {
            var request = ev.GetProperty("request");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
                foreach (var header in h.EnumerateObject())
                {
                    var value = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() ?? "" : header.Value.GetRawText();
                    headers[header.Name] = !_includeSensitiveHeaders && SensitiveHeaders.IsSensitive(header.Name) ? CfTailRequest.RedactedValue : value;
                }
            string? colo = null, country = null;
            if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("cf", out var cf) && cf.ValueKind == JsonValueKind.Object)
            {
                colo = String(cf, "colo");
                country = String(cf, "country");
            }
            int? status = null;
            if (ev.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object &&
                response.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var code))
                status = code;
            return new CfTailRequest(request.ValueKind == JsonValueKind.Object ? String(request, "method") ?? "" : "",
                request.ValueKind == JsonValueKind.Object ? String(request, "url") ?? "" : "", status, colo, country, headers);
        }

        private static IReadOnlyList<CfTailLog> ParseLogs(JsonElement root)
        {
            if (!root.TryGetProperty("logs", out var logs) || logs.ValueKind != JsonValueKind.Array) return Array.Empty<CfTailLog>();
            var list = new List<CfTailLog>(logs.GetArrayLength());
            foreach (var log in logs.EnumerateArray())
            {
                if (log.ValueKind != JsonValueKind.Object) continue;
                list.Add(new CfTailLog(String(log, "level") ?? "log", JoinMessage(log), Time(log, "timestamp")));
            }
            return list;
        }

        /// <summary>console.log("a", 1, {b: 2}) arrives as ["a", 1, {"b":2}]; printed as wrangler does, strings bare, the rest as JSON.</summary>
        private static string JoinMessage(JsonElement log)
        {
            if (!log.TryGetProperty("message", out var message)) return "";
            if (message.ValueKind == JsonValueKind.String) return message.GetString() ?? "";
            if (message.ValueKind != JsonValueKind.Array) return message.GetRawText();
            var text = new StringBuilder();
            foreach (var part in message.EnumerateArray())
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(part.ValueKind == JsonValueKind.String ? part.GetString() : part.GetRawText());
            }
            return text.ToString();
        }

        private static IReadOnlyList<CfTailException> ParseExceptions(JsonElement root)
        {
            if (!root.TryGetProperty("exceptions", out var exceptions) || exceptions.ValueKind != JsonValueKind.Array) return Array.Empty<CfTailException>();
            var list = new List<CfTailException>(exceptions.GetArrayLength());
            foreach (var e in exceptions.EnumerateArray())
                if (e.ValueKind == JsonValueKind.Object)
                    list.Add(new CfTailException(String(e, "name") ?? "Error", String(e, "message") ?? "", String(e, "stack"), Time(e, "timestamp")));
            return list;
        }

        private static string? String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        /// <summary>Trace times are epoch milliseconds; an alarm's scheduledTime may be an ISO date instead.</summary>
        private static DateTimeOffset? Time(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms))
                return DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
            if (value.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                return parsed;
            return null;
        }
    }
}
