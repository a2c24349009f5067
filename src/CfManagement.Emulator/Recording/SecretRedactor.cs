using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator.Recording;

/// <summary>
/// Keeps Worker secret values out of the request log. For any path under
/// /client/v4/accounts/{id}/workers/scripts/{name}/secrets or .../secrets-bulk (routable or not), every
/// "text" property anywhere in a JSON body becomes "[redacted]" (the body is re-serialised compactly);
/// a body that is not JSON is replaced whole. Other routes' bodies are kept as sent.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Placeholder = "[redacted]";

    public static string ForLog(string path, string body)
    {
        if (body.Length == 0 || !SecretPath().IsMatch(path))
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
        Redact(node);
        return node.ToJsonString();
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
}
