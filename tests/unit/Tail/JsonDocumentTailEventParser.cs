using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CfManagement.Model;
using CfManagement.Tail;

namespace CfManagement.Tests.Tail
{
    /// <summary>
    /// The JsonDocument parser TailEventParser replaced (kept verbatim as the oracle for TailEventParserEquivalenceTests): the
    /// single-pass reader must give the same events, field for field, for every message this one accepted.
    /// </summary>
    internal sealed class JsonDocumentTailEventParser
    {
        private readonly bool _includeSensitiveHeaders;

        public JsonDocumentTailEventParser(bool includeSensitiveHeaders) => _includeSensitiveHeaders = includeSensitiveHeaders;

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
                var outcome = String(root, "outcome"u8) ?? "unknown";
                var script = String(root, "scriptName"u8);
                if (string.IsNullOrEmpty(script)) script = fallbackScriptName;
                var logs = ParseLogs(root);
                var exceptions = ParseExceptions(root);
                var kind = CfTailEventKind.Unknown;
                JsonElement ev = default;
                var hasEvent = root.TryGetProperty("event"u8, out ev) && ev.ValueKind == JsonValueKind.Object;
                if (hasEvent) kind = KindOf(ev);
                var result = new CfTailEvent(outcome, script!, String(root, "entrypoint"u8), Time(root, "eventTimestamp"u8), kind, logs, exceptions);
                if (hasEvent) FillDetails(result, ev);
                return result;
            }
        }

        private static CfTailEventKind KindOf(JsonElement ev)
        {
            if (ev.TryGetProperty("request"u8, out _)) return CfTailEventKind.Request;
            if (ev.TryGetProperty("cron"u8, out _)) return CfTailEventKind.Scheduled;
            if (ev.TryGetProperty("queue"u8, out _)) return CfTailEventKind.Queue;
            if (ev.TryGetProperty("mailFrom"u8, out _) || ev.TryGetProperty("rcptTo"u8, out _)) return CfTailEventKind.Email;
            if (ev.TryGetProperty("rpcMethod"u8, out _)) return CfTailEventKind.Rpc;
            if (ev.TryGetProperty("consumedEvents"u8, out _)) return CfTailEventKind.Tail;
            if (ev.TryGetProperty("scheduledTime"u8, out _)) return CfTailEventKind.Alarm;
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
                    result.Cron = String(ev, "cron"u8);
                    result.ScheduledTime = Time(ev, "scheduledTime"u8);
                    break;
                case CfTailEventKind.Alarm:
                    result.AlarmTime = Time(ev, "scheduledTime"u8);
                    break;
                case CfTailEventKind.Queue:
                    result.Queue = String(ev, "queue"u8);
                    result.BatchSize = ev.TryGetProperty("batchSize"u8, out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out var n) ? n : (int?)null;
                    break;
                case CfTailEventKind.Email:
                    result.EmailFrom = String(ev, "mailFrom"u8);
                    result.EmailTo = String(ev, "rcptTo"u8);
                    result.EmailSize = ev.TryGetProperty("rawSize"u8, out var raw) && raw.ValueKind == JsonValueKind.Number && raw.TryGetInt64(out var l) ? l : (long?)null;
                    break;
                case CfTailEventKind.Rpc:
                    result.RpcMethod = String(ev, "rpcMethod"u8);
                    break;
            }
        }

        private CfTailRequest ParseRequest(JsonElement ev)
        {
            var request = ev.GetProperty("request"u8);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("headers"u8, out var h) && h.ValueKind == JsonValueKind.Object)
                foreach (var header in h.EnumerateObject())
                {
                    var name = header.Name;
                    // A redacted value is never read out of the document: no string ever holds it.
                    headers[name] = !_includeSensitiveHeaders && SensitiveHeaders.IsSensitive(name) ? CfTailRequest.RedactedValue
                        : header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() ?? "" : header.Value.GetRawText();
                }
            string? colo = null, country = null;
            if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("cf"u8, out var cf) && cf.ValueKind == JsonValueKind.Object)
            {
                colo = String(cf, "colo"u8);
                country = String(cf, "country"u8);
            }
            int? status = null;
            if (ev.TryGetProperty("response"u8, out var response) && response.ValueKind == JsonValueKind.Object &&
                response.TryGetProperty("status"u8, out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var code))
                status = code;
            return new CfTailRequest(request.ValueKind == JsonValueKind.Object ? String(request, "method"u8) ?? "" : "",
                request.ValueKind == JsonValueKind.Object ? String(request, "url"u8) ?? "" : "", status, colo, country, headers);
        }

        private static IReadOnlyList<CfTailLog> ParseLogs(JsonElement root)
        {
            if (!root.TryGetProperty("logs"u8, out var logs) || logs.ValueKind != JsonValueKind.Array) return Array.Empty<CfTailLog>();
            var list = new List<CfTailLog>(logs.GetArrayLength());
            foreach (var log in logs.EnumerateArray())
            {
                if (log.ValueKind != JsonValueKind.Object) continue;
                list.Add(new CfTailLog(String(log, "level"u8) ?? "log", JoinMessage(log), Time(log, "timestamp"u8)));
            }
            return list;
        }

        /// <summary>console.log("a", 1, {b: 2}) arrives as ["a", 1, {"b":2}]; printed as wrangler does, strings bare, the rest as JSON.</summary>
        private static string JoinMessage(JsonElement log)
        {
            if (!log.TryGetProperty("message"u8, out var message)) return "";
            if (message.ValueKind == JsonValueKind.String) return message.GetString() ?? "";
            if (message.ValueKind != JsonValueKind.Array) return message.GetRawText();
            if (message.GetArrayLength() == 1) return Part(message[0]); // the common console.log("text"): no builder
            var text = new StringBuilder();
            foreach (var part in message.EnumerateArray())
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(Part(part));
            }
            return text.ToString();
        }

        private static string Part(JsonElement part) => part.ValueKind == JsonValueKind.String ? part.GetString() ?? "" : part.GetRawText();

        private static IReadOnlyList<CfTailException> ParseExceptions(JsonElement root)
        {
            if (!root.TryGetProperty("exceptions"u8, out var exceptions) || exceptions.ValueKind != JsonValueKind.Array) return Array.Empty<CfTailException>();
            var list = new List<CfTailException>(exceptions.GetArrayLength());
            foreach (var e in exceptions.EnumerateArray())
                if (e.ValueKind == JsonValueKind.Object)
                    list.Add(new CfTailException(String(e, "name"u8) ?? "Error", String(e, "message"u8) ?? "", String(e, "stack"u8), Time(e, "timestamp"u8)));
            return list;
        }

        // Property names are UTF-8 literals ("outcome"u8) throughout: the string overloads of TryGetProperty transcode the
        // name on every lookup, and this runs a dozen lookups for every event of a stream.
        private static string? String(JsonElement element, ReadOnlySpan<byte> name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        /// <summary>Trace times are epoch milliseconds; an alarm's scheduledTime may be an ISO date instead.</summary>
        private static DateTimeOffset? Time(JsonElement element, ReadOnlySpan<byte> name)
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
