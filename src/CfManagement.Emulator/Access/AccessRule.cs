using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Access;

/// <summary>
/// One rule of a policy's include / exclude / require list, in the real API's shapes:
/// <c>{"service_token": {"token_id": ID}}</c> (that token), <c>{"any_valid_service_token": {}}</c> (any token of the
/// account that authenticates) and <c>{"everyone": {}}</c> (anybody, with or without a token; for bypass policies).
/// </summary>
internal sealed record AccessRule(string Kind, string? TokenId)
{
    public const string ServiceTokenKind = "service_token";
    public const string AnyValidServiceTokenKind = "any_valid_service_token";
    public const string EveryoneKind = "everyone";

    /// <summary>Whether the caller (its authenticated token, or null when it presented none that authenticates) matches.</summary>
    public bool Matches(AccessServiceToken? caller) => Kind switch
    {
        EveryoneKind => true,
        AnyValidServiceTokenKind => caller is not null,
        _ => caller is not null && string.Equals(caller.Id, TokenId, StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Reads one rule; the message of the <see cref="FormatException"/> names what is wrong.</summary>
    public static AccessRule Parse(JsonNode? node, string where)
    {
        if (node is not JsonObject rule || rule.Count != 1)
            throw new FormatException($"{where} must be an object with exactly one rule, e.g. {{\"service_token\": {{\"token_id\": \"...\"}}}}");
        var (kind, value) = rule.First();
        switch (kind)
        {
            case EveryoneKind or AnyValidServiceTokenKind when value is JsonObject:
                return new AccessRule(kind, null);
            case ServiceTokenKind when value is JsonObject inner
                && inner["token_id"] is JsonValue id && id.TryGetValue<string>(out var tokenId) && tokenId.Length > 0:
                return new AccessRule(kind, tokenId);
            case ServiceTokenKind:
                throw new FormatException($"{where}.service_token must be {{\"token_id\": \"<service token id>\"}}");
            case EveryoneKind or AnyValidServiceTokenKind:
                throw new FormatException($"{where}.{kind} must be {{}}");
            default:
                throw new FormatException($"{where}: unknown rule '{kind}' (supported: service_token, any_valid_service_token, everyone)");
        }
    }

    public JsonObject ToJson() => Kind == ServiceTokenKind
        ? new JsonObject { [Kind] = new JsonObject { ["token_id"] = TokenId } }
        : new JsonObject { [Kind] = new JsonObject() };
}
