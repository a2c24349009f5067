using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Version and deployment annotations: "workers/message" is cut to 1000 UTF-8 bytes (never mid-character),
/// "workers/tag" longer than 100 bytes is 400 10021, "workers/alias" kept; every value must be a string. The server
/// sets "workers/triggered_by" itself (upload, secret, version_upload, settings, deployment), so a sent one is ignored.
/// </summary>
internal static class WorkerAnnotations
{
    public const string Message = "workers/message";
    public const string Tag = "workers/tag";
    public const string TriggeredBy = "workers/triggered_by";
    public const int MaxMessageBytes = 1000;
    public const int MaxTagBytes = 100;

    public static Dictionary<string, string> Parse(JsonNode? node, string triggeredBy)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not null and not JsonObject)
            throw WorkerSecretParser.Invalid("annotations must be an object");
        foreach (var (key, value) in (JsonObject?)node ?? [])
        {
            if (key == TriggeredBy || value is null)
                continue;
            if (value.GetValueKind() != JsonValueKind.String)
                throw WorkerSecretParser.Invalid($"annotations.{key} must be a string");
            var text = value.GetValue<string>();
            if (key == Message)
                text = Cut(text, MaxMessageBytes);
            else if (key == Tag && Encoding.UTF8.GetByteCount(text) > MaxTagBytes)
                throw WorkerSecretParser.Invalid($"annotations.{Tag} must be at most {MaxTagBytes} bytes");
            result[key] = text;
        }
        result[TriggeredBy] = triggeredBy;
        return result;
    }

    private static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    public static JsonObject ToJson(IReadOnlyDictionary<string, string> annotations)
    {
        var json = new JsonObject();
        foreach (var (key, value) in annotations)
            json[key] = value;
        return json;
    }
}
