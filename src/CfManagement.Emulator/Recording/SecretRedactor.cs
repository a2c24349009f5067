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
/// <item>Any other body on a Pages projects path (/pages/projects and below): when JSON, every "value" inside an
/// "env_vars" object (secret_text or not: a mistyped secret must not leak either) becomes <see cref="Placeholder"/>;
/// when not JSON, the whole body does.</item>
/// <item>Any other body on a Secrets Store path (/secrets_store/ and below): when JSON, every "value" property anywhere
/// becomes <see cref="Placeholder"/>; a bare JSON value or a body that is not JSON is replaced whole.</item>
/// <item>Any other body on an Access path (/access/ and below: service tokens, applications): when JSON, every
/// "client_secret" property anywhere becomes <see cref="Placeholder"/>; a bare JSON value or a body that is not JSON is
/// replaced whole.</item>
/// <item>Other routes' bodies are kept as sent (decoded as UTF-8).</item>
/// </list>
/// </summary>
internal static class SecretRedactor
{
    public const string Placeholder = "[redacted]";

    private static readonly HashSet<string> SecretProperties = ["text", "key_base64", "key_jwk"];
    private static readonly HashSet<string> SecretsStoreProperties = ["value"];
    private static readonly HashSet<string> AccessProperties = ["client_secret"];
    private static readonly HashSet<string> JsonParts = ["metadata", "settings"];

    public static string ForLog(string path, string? contentType, byte[] body)
    {
        if (body.Length == 0)
            return "";
        if (MultipartFormData.IsMultipart(contentType))
            return MultipartSummary(body, contentType);
        var text = Encoding.UTF8.GetString(body);
        if (path.Contains("/pages/projects", StringComparison.OrdinalIgnoreCase))
            return RedactedPagesJson(text)?.ToJsonString() ?? Placeholder;
        if (path.Contains("/secrets_store/", StringComparison.OrdinalIgnoreCase))
            return RedactedJson(text, SecretsStoreProperties)?.ToJsonString() ?? Placeholder;
        if (path.Contains("/access/", StringComparison.OrdinalIgnoreCase))
            return RedactedJson(text, AccessProperties)?.ToJsonString() ?? Placeholder;
        if (!path.Contains("/workers/", StringComparison.OrdinalIgnoreCase))
            return text;
        return RedactedJson(text, SecretProperties)?.ToJsonString() ?? Placeholder;
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
                entry["json"] = RedactedJson(Encoding.UTF8.GetString(part.Content), SecretProperties) ?? JsonValue.Create(Placeholder);
            else
                entry["bytes"] = part.Content.Length;
            summary.Add(entry);
        }
        return new JsonObject { ["multipart"] = summary }.ToJsonString();
    }

    /// <summary>The JSON with the given properties replaced anywhere, or null when the text is not JSON or is a bare
    /// value (a bare JSON string could be the secret itself).</summary>
    private static JsonNode? RedactedJson(string text, IReadOnlySet<string> secretProperties)
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
        if (node is null or JsonValue)
            return null;
        Redact(node, secretProperties);
        return node;
    }

    /// <summary>The JSON with every env_vars value replaced, or null when the text is not JSON.</summary>
    private static JsonNode? RedactedPagesJson(string text)
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

    private static void Redact(JsonNode node, IReadOnlySet<string> secretProperties)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (secretProperties.Contains(name))
                        obj[name] = Placeholder;
                    else if (obj[name] is { } child)
                        Redact(child, secretProperties);
                }
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                    Redact(child, secretProperties);
                break;
        }
    }
}
