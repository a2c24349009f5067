using System.Text.Json.Nodes;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Access;

/// <summary>
/// Service tokens as the API shows them: {id, client_id, name, duration, expires_at, created_at, updated_at, enabled,
/// client_secret_version, last_seen_at?}. expires_at is left out for a "forever" token; last_seen_at appears once the
/// protected origin has authenticated the token. client_secret only in the create, rotate and rotating-update answers.
/// client_secret_version follows Cloudflare's documented create response (developers.cloudflare.com, service tokens page).
/// </summary>
internal static class AccessServiceTokenJson
{
    public static JsonObject ToJson(AccessServiceToken token)
    {
        var json = new JsonObject
        {
            ["id"] = token.Id,
            ["client_id"] = token.ClientId,
            ["name"] = token.Name,
            ["duration"] = token.Duration.Text,
        };
        if (token.ExpiresAt is { } expires)
            json["expires_at"] = TokenJson.Time(expires);
        json["created_at"] = TokenJson.Time(token.CreatedAt);
        json["updated_at"] = TokenJson.Time(token.UpdatedAt);
        json["enabled"] = token.Enabled;
        json["client_secret_version"] = token.SecretVersion;
        if (token.LastSeenAt is { } seen)
            json["last_seen_at"] = TokenJson.Time(seen);
        return json;
    }

    /// <summary>The object plus the secret that was just made: the only answers that carry it.</summary>
    public static JsonObject WithSecret(AccessServiceToken token, string secret)
    {
        var json = ToJson(token);
        json["client_secret"] = secret;
        return json;
    }
}
