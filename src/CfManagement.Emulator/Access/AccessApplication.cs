using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Access;

/// <summary>
/// A self-hosted Access application: the hostname and optional path it protects (<c>domain</c>, e.g.
/// <c>app.example.com/admin</c>) and its policies in precedence order. It covers a request whose host equals the
/// domain's host and whose path is the domain's path or below it (segment-wise: /admin covers /admin and /admin/x,
/// not /administrator).
/// </summary>
internal sealed class AccessApplication
{
    public required string Id { get; init; }
    /// <summary>Audience tag: 64 hex, as Access puts in cf-access-aud and the JWT.</summary>
    public required string Aud { get; init; }
    public required string Name { get; init; }
    public required string Domain { get; init; }
    public required string Type { get; init; }
    public required string SessionDuration { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Strict mode: an unauthenticated service token gets 401 (else a login redirect or 403; see AccessOrigin).</summary>
    public bool ServiceAuth401Redirect { get; init; } = true;
    public IReadOnlyList<AccessPolicy> Policies { get; set; } = [];

    public string Host => Domain.Split('/', 2)[0].ToLowerInvariant();
    /// <summary>The protected path without a trailing slash ("" for the whole host).</summary>
    public string Path => Domain.Contains('/') ? "/" + Domain.Split('/', 2)[1].Trim('/') : "";

    public static string NewAud() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public bool Covers(string host, string path)
    {
        if (!string.Equals(host, Host, StringComparison.OrdinalIgnoreCase))
            return false;
        var own = Path;
        if (own.Length == 0 || own == "/")
            return true;
        return path.Equals(own, StringComparison.Ordinal) || path.StartsWith(own + "/", StringComparison.Ordinal);
    }

    /// <summary>The fields of the API's minimal application (GET /accounts/{id}/access/apps).</summary>
    public JsonObject ToMinimalJson() => new()
    {
        ["id"] = Id,
        ["aud"] = Aud,
        ["name"] = Name,
        ["domain"] = Domain,
        ["type"] = Type,
        ["session_duration"] = SessionDuration,
        ["created_at"] = TokenJson.Time(CreatedAt),
        ["updated_at"] = TokenJson.Time(UpdatedAt),
    };

    /// <summary>The admin view: the minimal fields plus the policies.</summary>
    public JsonObject ToAdminJson()
    {
        var json = ToMinimalJson();
        json["service_auth_401_redirect"] = ServiceAuth401Redirect;
        json["policies"] = new JsonArray(Policies.Select(p => (JsonNode?)p.ToJson()).ToArray());
        return json;
    }
}
