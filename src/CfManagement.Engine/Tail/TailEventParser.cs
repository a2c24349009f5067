using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
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
    /// <remarks>
    /// One forward pass of a <see cref="Utf8JsonReader"/>, no <see cref="JsonDocument"/>: building a DOM and then
    /// looking properties up in it cost about three times the parse itself, for every event of a stream. Every
    /// Read* helper starts on a value's first token and leaves the reader on its last, so the loops stay in step.
    /// A property named twice counts once, its last value winning, as JsonElement.TryGetProperty would answer.
    /// </remarks>
    public sealed class TailEventParser
    {
        private readonly bool _includeSensitiveHeaders;

        public TailEventParser(bool includeSensitiveHeaders) => _includeSensitiveHeaders = includeSensitiveHeaders;

        /// <param name="fallbackScriptName">The tailed script, used when the event does not name one.</param>
        public CfTailEvent Parse(ReadOnlyMemory<byte> utf8Json, string fallbackScriptName)
        {
            try { return ParseRoot(utf8Json, fallbackScriptName); }
            catch (JsonException e) { throw new FormatException($"A tail message is not JSON (line {e.LineNumber}, byte {e.BytePositionInLine}).", e); }
        }

        private CfTailEvent ParseRoot(ReadOnlyMemory<byte> json, string fallbackScriptName)
        {
            // Default options, as JsonDocument.Parse had: no comments, no trailing commas, depth 64; empty input throws.
            var reader = new Utf8JsonReader(json.Span);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var kind = KindName(reader.TokenType);
                reader.Skip();
                EnsureEnd(ref reader);
                throw new FormatException($"A tail message is a JSON {kind}, not an object.");
            }

            string? outcome = null, script = null, entrypoint = null;
            DateTimeOffset? timestamp = null;
            IReadOnlyList<CfTailLog> logs = Array.Empty<CfTailLog>();
            IReadOnlyList<CfTailException> exceptions = Array.Empty<CfTailException>();
            var details = new EventFields();
            var hasEvent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("outcome"u8)) { reader.Read(); outcome = ReadString(ref reader); }
                else if (reader.ValueTextEquals("scriptName"u8)) { reader.Read(); script = ReadString(ref reader); }
                else if (reader.ValueTextEquals("entrypoint"u8)) { reader.Read(); entrypoint = ReadString(ref reader); }
                else if (reader.ValueTextEquals("eventTimestamp"u8)) { reader.Read(); timestamp = ReadTime(ref reader); }
                else if (reader.ValueTextEquals("logs"u8)) { reader.Read(); logs = ReadLogs(ref reader, json); }
                else if (reader.ValueTextEquals("exceptions"u8)) { reader.Read(); exceptions = ReadExceptions(ref reader); }
                else if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    details = new EventFields();
                    hasEvent = reader.TokenType == JsonTokenType.StartObject;
                    if (hasEvent) ReadEvent(ref reader, json, ref details);
                    else reader.Skip();
                }
                else { reader.Read(); reader.Skip(); }
            }
            EnsureEnd(ref reader);

            if (string.IsNullOrEmpty(script)) script = fallbackScriptName;
            var result = new CfTailEvent(outcome ?? "unknown", script!, entrypoint, timestamp, hasEvent ? details.Kind : CfTailEventKind.Unknown, logs, exceptions);
            if (hasEvent) details.FillInto(result);
            return result;
        }

        /// <summary>JsonDocument.Parse refused anything after the one value; so does this (the reader throws on it).</summary>
        private static void EnsureEnd(ref Utf8JsonReader reader)
        {
            if (reader.Read()) throw new FormatException("A tail message holds more than one JSON value.");
        }

        private static string KindName(JsonTokenType token) => token switch
        {
            JsonTokenType.StartArray => nameof(JsonValueKind.Array),
            JsonTokenType.String => nameof(JsonValueKind.String),
            JsonTokenType.Number => nameof(JsonValueKind.Number),
            JsonTokenType.True => nameof(JsonValueKind.True),
            JsonTokenType.False => nameof(JsonValueKind.False),
            JsonTokenType.Null => nameof(JsonValueKind.Null),
            _ => nameof(JsonValueKind.Undefined),
        };

        /// <summary>
        /// What the "event" object holds. Its kind is known only once the whole object is read (the first key of the
        /// priority order in <see cref="Kind"/> that is present wins, wherever it stands), so every candidate is kept.
        /// </summary>
        private struct EventFields
        {
            public bool HasRequest, HasCron, HasQueue, HasEmail, HasRpc, HasConsumedEvents, HasScheduledTime;
            public string? Method, Url, Colo, Country;
            public Dictionary<string, string>? Headers;
            public int? Status;
            public string? Cron, Queue, EmailFrom, EmailTo, RpcMethod;
            public DateTimeOffset? ScheduledTime;
            public int? BatchSize;
            public long? EmailSize;

            public CfTailEventKind Kind =>
                HasRequest ? CfTailEventKind.Request
                : HasCron ? CfTailEventKind.Scheduled
                : HasQueue ? CfTailEventKind.Queue
                : HasEmail ? CfTailEventKind.Email
                : HasRpc ? CfTailEventKind.Rpc
                : HasConsumedEvents ? CfTailEventKind.Tail
                : HasScheduledTime ? CfTailEventKind.Alarm
                : CfTailEventKind.Unknown;

            public void FillInto(CfTailEvent result)
            {
                switch (result.Kind)
                {
                    case CfTailEventKind.Request:
                        result.Request = new CfTailRequest(Method ?? "", Url ?? "", Status, Colo, Country, Headers!);
                        break;
                    case CfTailEventKind.Scheduled:
                        result.Cron = Cron;
                        result.ScheduledTime = ScheduledTime;
                        break;
                    case CfTailEventKind.Alarm:
                        result.AlarmTime = ScheduledTime;
                        break;
                    case CfTailEventKind.Queue:
                        result.Queue = Queue;
                        result.BatchSize = BatchSize;
                        break;
                    case CfTailEventKind.Email:
                        result.EmailFrom = EmailFrom;
                        result.EmailTo = EmailTo;
                        result.EmailSize = EmailSize;
                        break;
                    case CfTailEventKind.Rpc:
                        result.RpcMethod = RpcMethod;
                        break;
                }
            }
        }

        private void ReadEvent(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, ref EventFields f)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("request"u8)) { f.HasRequest = true; reader.Read(); ReadRequest(ref reader, json, ref f); }
                else if (reader.ValueTextEquals("response"u8)) { reader.Read(); f.Status = ReadStatus(ref reader); }
                else if (reader.ValueTextEquals("cron"u8)) { f.HasCron = true; reader.Read(); f.Cron = ReadString(ref reader); }
                else if (reader.ValueTextEquals("queue"u8)) { f.HasQueue = true; reader.Read(); f.Queue = ReadString(ref reader); }
                else if (reader.ValueTextEquals("batchSize"u8))
                {
                    reader.Read();
                    f.BatchSize = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n : (int?)null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("mailFrom"u8)) { f.HasEmail = true; reader.Read(); f.EmailFrom = ReadString(ref reader); }
                else if (reader.ValueTextEquals("rcptTo"u8)) { f.HasEmail = true; reader.Read(); f.EmailTo = ReadString(ref reader); }
                else if (reader.ValueTextEquals("rawSize"u8))
                {
                    reader.Read();
                    f.EmailSize = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l) ? l : (long?)null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("rpcMethod"u8)) { f.HasRpc = true; reader.Read(); f.RpcMethod = ReadString(ref reader); }
                else if (reader.ValueTextEquals("consumedEvents"u8)) { f.HasConsumedEvents = true; reader.Read(); reader.Skip(); }
                else if (reader.ValueTextEquals("scheduledTime"u8)) { f.HasScheduledTime = true; reader.Read(); f.ScheduledTime = ReadTime(ref reader); }
                else { reader.Read(); reader.Skip(); }
            }
        }

        /// <summary>The request's own fields (its status sits beside it, in "response"); a request that is not an object is empty.</summary>
        private void ReadRequest(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, ref EventFields f)
        {
            f.Method = f.Url = f.Colo = f.Country = null;
            f.Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8)) { reader.Read(); f.Method = ReadString(ref reader); }
                else if (reader.ValueTextEquals("url"u8)) { reader.Read(); f.Url = ReadString(ref reader); }
                else if (reader.ValueTextEquals("headers"u8))
                {
                    reader.Read();
                    f.Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    ReadHeaders(ref reader, json, f.Headers);
                }
                else if (reader.ValueTextEquals("cf"u8))
                {
                    reader.Read();
                    f.Colo = f.Country = null;
                    if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("colo"u8)) { reader.Read(); f.Colo = ReadString(ref reader); }
                        else if (reader.ValueTextEquals("country"u8)) { reader.Read(); f.Country = ReadString(ref reader); }
                        else { reader.Read(); reader.Skip(); }
                    }
                }
                else { reader.Read(); reader.Skip(); }
            }
        }

        private void ReadHeaders(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, Dictionary<string, string> headers)
        {
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!_includeSensitiveHeaders && SensitiveHeaders.IsSensitive(name))
                {
                    // A redacted value is stepped over, never decoded: no string ever holds it.
                    reader.Skip();
                    headers[name] = CfTailRequest.RedactedValue;
                }
                else headers[name] = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : RawText(ref reader, json);
            }
        }

        private static int? ReadStatus(ref Utf8JsonReader reader)
        {
            int? status = null;
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return null; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    status = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code) ? code : (int?)null;
                }
                else reader.Read();
                reader.Skip();
            }
            return status;
        }

        private static IReadOnlyList<CfTailLog> ReadLogs(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
        {
            if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); return Array.Empty<CfTailLog>(); }
            var list = new List<CfTailLog>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                string? level = null, message = null;
                DateTimeOffset? timestamp = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("level"u8)) { reader.Read(); level = ReadString(ref reader); }
                    else if (reader.ValueTextEquals("message"u8)) { reader.Read(); message = ReadMessage(ref reader, json); }
                    else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); timestamp = ReadTime(ref reader); }
                    else { reader.Read(); reader.Skip(); }
                }
                list.Add(new CfTailLog(level ?? "log", message ?? "", timestamp));
            }
            return list;
        }

        /// <summary>console.log("a", 1, {b: 2}) arrives as ["a", 1, {"b":2}]; printed as wrangler does, strings bare, the rest as JSON.</summary>
        private static string ReadMessage(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
        {
            if (reader.TokenType == JsonTokenType.String) return reader.GetString() ?? "";
            if (reader.TokenType != JsonTokenType.StartArray) return RawText(ref reader, json);
            string? first = null;
            StringBuilder? text = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var part = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : RawText(ref reader, json);
                if (first == null) { first = part; continue; } // the common console.log("text"): no builder
                if (text == null) text = new StringBuilder(first);
                // A space only once something was printed: an empty first part gets none, as before.
                if (text.Length > 0) text.Append(' ');
                text.Append(part);
            }
            return text?.ToString() ?? first ?? "";
        }

        private static IReadOnlyList<CfTailException> ReadExceptions(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); return Array.Empty<CfTailException>(); }
            var list = new List<CfTailException>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                string? name = null, message = null, stack = null;
                DateTimeOffset? timestamp = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = ReadString(ref reader); }
                    else if (reader.ValueTextEquals("message"u8)) { reader.Read(); message = ReadString(ref reader); }
                    else if (reader.ValueTextEquals("stack"u8)) { reader.Read(); stack = ReadString(ref reader); }
                    else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); timestamp = ReadTime(ref reader); }
                    else { reader.Read(); reader.Skip(); }
                }
                list.Add(new CfTailException(name ?? "Error", message ?? "", stack, timestamp));
            }
            return list;
        }

        /// <summary>A string value, or null for any other kind of value (which is stepped over).</summary>
        private static string? ReadString(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String) return reader.GetString();
            reader.Skip();
            return null;
        }

        /// <summary>Trace times are epoch milliseconds; an alarm's scheduledTime may be an ISO date instead.</summary>
        private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ms))
                return DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
            if (reader.TokenType == JsonTokenType.String &&
                DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                return parsed;
            reader.Skip();
            return null;
        }

        /// <summary>A value's JSON text exactly as sent (what JsonElement.GetRawText gave); the reader ends on its last token.</summary>
        private static string RawText(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var raw = json.Slice(start, (int)reader.BytesConsumed - start);
            return MemoryMarshal.TryGetArray(raw, out var segment)
                ? Encoding.UTF8.GetString(segment.Array!, segment.Offset, segment.Count)
                : Encoding.UTF8.GetString(raw.ToArray());
        }
    }
}
