using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator.Recording;

/// <summary>
/// Keeps secret values out of the request log. For any path under
/// /client/v4/accounts/{id}/workers/scripts/{name}/secrets or .../secrets-bulk (routable or not), every
/// "text" property anywhere in a JSON body becomes "[redacted]"; under .../secrets_store/ (stores and secrets), every
/// "value" property does (the body is re-serialised compactly). A body that is not JSON is replaced whole. Other
/// routes' bodies are kept as sent.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Placeholder = "[redacted]";

    public static string ForLog(string path, string body)
    {
        if (body.Length == 0)
            return body;
        var secretProperty = SecretPath().IsMatch(path) ? "text" : SecretsStorePath().IsMatch(path) ? "value" : null;
        if (secretProperty is null)
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
        if (node is JsonValue)
            return Placeholder; // a bare JSON string could be the secret itself
        Redact(node, secretProperty);
        return node.ToJsonString();
    }

    private static void Redact(JsonNode node, string secretProperty)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name == secretProperty)
                        obj[name] = Placeholder;
                    else if (obj[name] is { } child)
                        Redact(child, secretProperty);
                }
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                    Redact(child, secretProperty);
                break;
        }
    }

    [GeneratedRegex("/workers/scripts/[^/]+/secrets(-bulk)?(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPath();

    [GeneratedRegex("/accounts/[^/]+/secrets_store(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretsStorePath();
}
