using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Multipart;

namespace CfManagement.Emulator.Recording;

/// <summary>
/// Keeps Worker secret values out of the request log, whatever form the body takes.
/// <list type="bullet">
/// <item>A multipart/form-data body (any path: script and version uploads, /settings) is logged as a summary
/// <c>{"multipart":[{name, filename?, content_type?, json | bytes}]}</c>: the <c>metadata</c> and <c>settings</c> parts as
/// redacted JSON (below), every other part (module source, Wasm) only as its byte count. A body that does not parse as
/// multipart becomes <see cref="Placeholder"/>.</item>
/// <item>Any other body on a path with a /workers/ segment (secrets, secrets-bulk, versions/latest merge-patch, settings,
/// deployments): when JSON, every "text", "key_base64" and "key_jwk" property anywhere becomes <see cref="Placeholder"/>
/// (re-serialised compactly); when not JSON (a raw service-worker script, a malformed body), the whole body does.</item>
/// <item>Any other body on a Pages project path (/pages/projects and below): when JSON, every "value" inside an
/// "env_vars" object (secret_text or not: a mistyped secret must not leak either) becomes <see cref="Placeholder"/>;
/// when not JSON, the whole body does.</item>
/// <item>Other routes' bodies are kept as sent (decoded as UTF-8).</item>
/// </list>
/// </summary>
internal static class SecretRedactor
{
    public const string Placeholder = "[redacted]";

    private static readonly HashSet<string> SecretProperties = ["text", "key_base64", "key_jwk"];
    private static readonly HashSet<string> JsonParts = ["metadata", "settings"];

    public static string ForLog(string path, string? contentType, byte[] body)
    {
        if (body.Length == 0)
            return "";
        if (MultipartFormData.IsMultipart(contentType))
            return MultipartSummary(body, contentType);
        var text = Encoding.UTF8.GetString(body);
        if (path.Contains("/pages/projects", StringComparison.OrdinalIgnoreCase))
            return RedactedEnvVars(text)?.ToJsonString() ?? Placeholder;
        if (!path.Contains("/workers/", StringComparison.OrdinalIgnoreCase))
            return text;
        return RedactedJson(text)?.ToJsonString() ?? Placeholder;
    }

    private static string MultipartSummary(byte[] body, string? contentType)
    {
        IReadOnlyList<MultipartPart> parts;
        try
        {
            parts = MultipartFormData.Parse(body, contentType);
        }
        catch (MultipartFormatException)
        {
            return Placeholder;
        }
        var summary = new JsonArray();
        foreach (var part in parts)
        {
            var entry = new JsonObject { ["name"] = part.Name };
            if (part.FileName is not null)
                entry["filename"] = part.FileName;
            if (part.ContentType is not null)
                entry["content_type"] = part.ContentType;
            if (JsonParts.Contains(part.Name))
                entry["json"] = RedactedJson(Encoding.UTF8.GetString(part.Content)) ?? JsonValue.Create(Placeholder);
            else
                entry["bytes"] = part.Content.Length;
            summary.Add(entry);
        }
        return new JsonObject { ["multipart"] = summary }.ToJsonString();
    }

    /// <summary>The JSON with every env_vars value replaced, or null when the text is not JSON.</summary>
    private static JsonNode? RedactedEnvVars(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not null)
            RedactEnvVarValues(node, insideEnvVars: false);
        return node;
    }

    private static void RedactEnvVarValues(JsonNode node, bool insideEnvVars)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (insideEnvVars && name == "value")
                        obj[name] = Placeholder;
                    else if (obj[name] is { } child)
                        RedactEnvVarValues(child, insideEnvVars || name == "env_vars");
                }
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                    RedactEnvVarValues(child, insideEnvVars);
                break;
        }
    }

    /// <summary>The JSON with its secret properties replaced, or null when the text is not JSON.</summary>
    private static JsonNode? RedactedJson(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is null)
            return null;
        Redact(node);
        return node;
    }

    private static void Redact(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (SecretProperties.Contains(name))
                        obj[name] = Placeholder;
                    else if (obj[name] is { } child)
                        Redact(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                    Redact(child);
                break;
        }
    }
}
