using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// Synthetic trace-v1 events, deterministic from their sequence number so tests can check order and duplicates:
/// event n has eventTimestamp = start + n ms and a first log line "request #n" (fetch) or "run #n" (others). Kinds
/// rotate fetch, fetch, fetch, scheduled, queue, alarm, email; every 5th fetch throws (outcome "exception" with a
/// realistic TypeError and stack), every 4th is a POST. Fetch events carry credential-like headers (Authorization,
/// Cookie, CF-Access-Client-Secret, X-Api-Token) so a client's redaction can be tested; their values start "SECRET-".
/// </summary>
internal sealed class TailEventFactory(string scriptName, string? scriptVersionId, DateTimeOffset start)
{
    public static readonly string[] Kinds = ["fetch", "fetch", "fetch", "scheduled", "queue", "alarm", "email"];
    private static readonly string[] ClientIps = ["203.0.113.7", "198.51.100.23", "127.0.0.1"];

    public TailEvent Create(long n, string? kind = null)
    {
        kind ??= Kinds[n % Kinds.Length];
        var timestamp = start.ToUnixTimeMilliseconds() + n;
        var isFetch = kind == "fetch";
        var throws = isFetch && n % 5 == 4;
        var outcome = throws ? "exception" : "ok";
        var method = isFetch ? (n % 4 == 3 ? "POST" : "GET") : null;
        var clientIp = isFetch ? ClientIps[n % ClientIps.Length] : null;
        Dictionary<string, string>? headers = isFetch
            ? new(StringComparer.OrdinalIgnoreCase)
            {
                ["accept"] = "application/json",
                ["user-agent"] = "Mozilla/5.0 (X11; Linux x86_64) Emulator/1.0",
                ["cf-connecting-ip"] = clientIp!,
                ["authorization"] = "Bearer SECRET-token-" + n.ToString(CultureInfo.InvariantCulture),
                ["cookie"] = "session=SECRET-cookie-" + n.ToString(CultureInfo.InvariantCulture),
                ["cf-access-client-secret"] = "SECRET-access-" + n.ToString(CultureInfo.InvariantCulture),
                ["x-api-token"] = "SECRET-api-" + n.ToString(CultureInfo.InvariantCulture),
            }
            : null;
        var firstMessage = (isFetch ? "request #" : "run #") + n.ToString(CultureInfo.InvariantCulture);
        var messages = new List<string> { firstMessage };

        using var buffer = new MemoryStream(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("outcome", outcome);
            w.WriteString("scriptName", scriptName);
            if (scriptVersionId is not null)
            {
                w.WriteStartObject("scriptVersion");
                w.WriteString("id", scriptVersionId);
                w.WriteEndObject();
            }
            w.WriteString("entrypoint", isFetch ? "default" : kind);
            w.WriteStartArray("diagnosticsChannelEvents");
            w.WriteEndArray();
            w.WriteStartArray("exceptions");
            if (throws)
            {
                const string message = "Cannot read properties of undefined (reading 'id')";
                messages.Add(message);
                w.WriteStartObject();
                w.WriteString("name", "TypeError");
                w.WriteString("message", message);
                w.WriteNumber("timestamp", timestamp);
                w.WriteString("stack", "TypeError: " + message + "\n    at handleRequest (index.js:42:17)\n    at Object.fetch (index.js:12:12)");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("logs");
            WriteLog(w, "log", timestamp, firstMessage, n);
            if (isFetch)
            {
                var second = throws ? "lookup failed for user" : "served from cache";
                messages.Add(second);
                WriteLog(w, throws ? "error" : "info", timestamp, second, null);
            }
            w.WriteEndArray();
            w.WriteNumber("eventTimestamp", timestamp);
            w.WritePropertyName("event");
            WriteEvent(w, kind, n, timestamp, method, headers, throws);
            w.WriteEndObject();
        }
        return new TailEvent(buffer.ToArray(), outcome, method, clientIp, headers, messages, scriptVersionId);
    }

    private static void WriteLog(Utf8JsonWriter w, string level, long timestamp, string message, long? n)
    {
        w.WriteStartObject();
        w.WriteStartArray("message");
        w.WriteStringValue(message);
        if (n is { } seq)
        {
            w.WriteStartObject();
            w.WriteNumber("seq", seq);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("level", level);
        w.WriteNumber("timestamp", timestamp);
        w.WriteEndObject();
    }

    private void WriteEvent(Utf8JsonWriter w, string kind, long n, long timestamp, string? method,
        Dictionary<string, string>? headers, bool throws)
    {
        w.WriteStartObject();
        switch (kind)
        {
            case "fetch":
                w.WriteStartObject("request");
                w.WriteString("url", $"https://{scriptName}.example.workers.dev/api/items?seq={n}");
                w.WriteString("method", method);
                w.WriteStartObject("headers");
                foreach (var (name, value) in headers!)
                    w.WriteString(name, value);
                w.WriteEndObject();
                w.WriteStartObject("cf");
                w.WriteString("colo", "FRA");
                w.WriteString("country", "DE");
                w.WriteString("httpProtocol", "HTTP/2");
                w.WriteNumber("asn", 64496);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("response");
                w.WriteNumber("status", throws ? 500 : 200);
                w.WriteEndObject();
                break;
            case "scheduled":
                w.WriteString("cron", "*/5 * * * *");
                w.WriteNumber("scheduledTime", timestamp);
                break;
            case "queue":
                w.WriteString("queue", "jobs");
                w.WriteNumber("batchSize", 10);
                break;
            case "alarm":
                w.WriteString("scheduledTime", DateTimeOffset.FromUnixTimeMilliseconds(timestamp).ToString("O", CultureInfo.InvariantCulture));
                break;
            case "email":
                w.WriteString("mailFrom", "sender@example.com");
                w.WriteString("rcptTo", "inbox@example.org");
                w.WriteNumber("rawSize", 2048);
                break;
        }
        w.WriteEndObject();
    }
}
