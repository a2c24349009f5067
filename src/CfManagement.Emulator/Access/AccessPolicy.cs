using System.Text.Json.Nodes;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Access;

/// <summary>
/// An Access policy of an application. A caller matches when at least one include rule, every require rule and no
/// exclude rule matches it. Decisions: <c>non_identity</c> ("Service Auth": admits a matching service token),
/// <c>bypass</c> (admits a matching caller without authenticating it), <c>deny</c> (refuses a matching token: 403),
/// <c>allow</c> (needs an identity login; a service token never satisfies it, as on the real edge, where such an
/// application answers token callers as if no policy admitted them).
/// </summary>
internal sealed record AccessPolicy(string Id, string Name, string Decision, int Precedence,
    IReadOnlyList<AccessRule> Include, IReadOnlyList<AccessRule> Exclude, IReadOnlyList<AccessRule> Require, DateTimeOffset CreatedAt)
{
    public const string NonIdentity = "non_identity";
    public const string Bypass = "bypass";
    public const string Deny = "deny";
    public const string Allow = "allow";
    public static readonly string[] Decisions = [NonIdentity, Bypass, Deny, Allow];

    public bool Matches(AccessServiceToken? caller) =>
        Include.Any(r => r.Matches(caller)) && Require.All(r => r.Matches(caller)) && !Exclude.Any(r => r.Matches(caller));

    public bool NamesToken(string tokenId) =>
        Include.Concat(Exclude).Concat(Require).Any(r => r.Kind == AccessRule.ServiceTokenKind
            && string.Equals(r.TokenId, tokenId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads one policy of an admin body; <paramref name="precedence"/> is its 1-based place in the list.</summary>
    public static AccessPolicy Parse(JsonNode? node, int precedence, DateTimeOffset now)
    {
        var where = $"policies[{precedence - 1}]";
        if (node is not JsonObject policy)
            throw new FormatException($"{where} must be an object");
        var decision = policy["decision"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : NonIdentity;
        if (!Decisions.Contains(decision))
            throw new FormatException($"{where}.decision must be one of {string.Join(", ", Decisions)}");
        var name = policy["name"] is JsonValue n && n.TryGetValue<string>(out var named) && named.Length > 0 ? named : $"policy {precedence}";
        var include = Rules(policy, "include", where);
        if (include.Count == 0)
            throw new FormatException($"{where}.include must hold at least one rule");
        return new AccessPolicy(Guid.NewGuid().ToString(), name, decision, precedence, include,
            Rules(policy, "exclude", where), Rules(policy, "require", where), now);
    }

    private static List<AccessRule> Rules(JsonObject policy, string list, string where) => policy[list] switch
    {
        null => [],
        JsonArray rules => rules.Select((r, i) => AccessRule.Parse(r, $"{where}.{list}[{i}]")).ToList(),
        _ => throw new FormatException($"{where}.{list} must be an array of rules"),
    };

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["decision"] = Decision,
        ["precedence"] = Precedence,
        ["include"] = new JsonArray(Include.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        ["exclude"] = new JsonArray(Exclude.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        ["require"] = new JsonArray(Require.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        ["created_at"] = TokenJson.Time(CreatedAt),
    };
}
