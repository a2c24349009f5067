using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator.Recording;

/// <summary>
/// Keeps Worker secret values out of the request log. For any path under
/// /client/v4/accounts/{id}/workers/scripts/{name}/secrets or .../secrets-bulk (routable or not), every
/// "text" property anywhere in a JSON body becomes "[redacted]" (the body is re-serialised compactly);
/// a body that is not JSON is replaced whole. Pages projects (/pages/projects and below) likewise: every
/// "value" inside an "env_vars" object (secret_text or not: a mistyped secret must not leak either).
/// Other routes' bodies are kept as sent.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Placeholder = "[redacted]";

    public static string ForLog(string path, string body)
    {
        var pages = PagesPath().IsMatch(path);
        if (body.Length == 0 || !(pages || SecretPath().IsMatch(path)))
            return body;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return Placeholder;
        }
        if (node is null)
            return body;
        if (pages)
            RedactEnvVarValues(node, insideEnvVars: false);
        else
            Redact(node);
        return node.ToJsonString();
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

    private static void Redact(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name == "text")
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

    [GeneratedRegex("/workers/scripts/[^/]+/secrets(-bulk)?(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPath();

    [GeneratedRegex("/pages/projects(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex PagesPath();
}
