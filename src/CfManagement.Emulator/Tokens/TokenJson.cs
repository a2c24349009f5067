using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Tokens;

/// <summary>Token objects as the API shows them (snake_case; the value only on create).</summary>
internal static class TokenJson
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public static JsonObject ToJson(Token token, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["id"] = token.Id,
            ["name"] = token.Name,
            ["status"] = token.EffectiveStatus(now),
            ["issued_on"] = Time(token.IssuedOn),
            ["modified_on"] = Time(token.ModifiedOn),
            ["last_used_on"] = token.LastUsedOn is { } used ? Time(used) : null,
        };
        if (token.NotBefore is { } notBefore)
            json["not_before"] = Time(notBefore);
        if (token.ExpiresOn is { } expiresOn)
            json["expires_on"] = Time(expiresOn);
        json["policies"] = new JsonArray(token.Policies.Select(p => (JsonNode?)PolicyToJson(p)).ToArray());
        if (token.Condition is { } condition)
        {
            json["condition"] = new JsonObject
            {
                ["request_ip"] = new JsonObject
                {
                    ["in"] = new JsonArray(condition.In.Select(c => (JsonNode?)c).ToArray()),
                    ["not_in"] = new JsonArray(condition.NotIn.Select(c => (JsonNode?)c).ToArray()),
                },
            };
        }
        return json;
    }

    /// <summary>The verify result: only id, status and the validity window.</summary>
    public static JsonObject VerifyJson(Token token, DateTimeOffset now)
    {
        var json = new JsonObject { ["id"] = token.Id, ["status"] = token.EffectiveStatus(now) };
        if (token.NotBefore is { } notBefore)
            json["not_before"] = Time(notBefore);
        if (token.ExpiresOn is { } expiresOn)
            json["expires_on"] = Time(expiresOn);
        return json;
    }

    public static JsonObject PermissionGroupJson(PermissionGroup group) => new()
    {
        ["id"] = group.Id,
        ["name"] = group.Name,
        ["scopes"] = new JsonArray(group.Scope),
    };

    private static JsonObject PolicyToJson(Policy policy)
    {
        var resources = new JsonObject();
        foreach (var (key, value) in policy.Resources)
            resources[key] = value.StartsWith('{') ? JsonNode.Parse(value) : value;

        var groups = new JsonArray();
        foreach (var group in policy.PermissionGroups)
        {
            var json = new JsonObject { ["id"] = group.Id, ["name"] = PermissionCatalog.Find(group.Id)?.Name };
            if (group.MetaJson is not null)
                json["meta"] = JsonNode.Parse(group.MetaJson);
            groups.Add(json);
        }
        return new JsonObject { ["id"] = policy.Id, ["effect"] = policy.Effect, ["resources"] = resources, ["permission_groups"] = groups };
    }
}
