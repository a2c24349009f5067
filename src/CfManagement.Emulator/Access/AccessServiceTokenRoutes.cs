using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Access;

/// <summary>
/// Access service tokens under /accounts/{account_id}/access/service_tokens (cf-trimmed.json, operations
/// access-service-tokens-*). Every error code of the area:
/// <list type="bullet">
/// <item>403 10000: caller outside the account, or lacking Access: Service Tokens Read (GET) / Write (everything else;
/// Write satisfies Read) on the account. Checked first.</item>
/// <item>404 12002 "access.api.error.service_token_not_found": no token with that {service_token_id} (any string that is
/// not the id of one of the account's tokens, a client_id included).</item>
/// <item>400 12130: invalid body: name missing (create), not a string, empty or over 350 characters; enabled not a
/// boolean; client_secret_version not a whole number ≥ 1, or (update) lower than the token's; previous_client_secret_expires_at
/// not RFC 3339.</item>
/// <item>400 12131: duration neither a positive Go duration (60m, 2h45m, 8760h; ns, us, ms, s, m, h) nor "forever".</item>
/// <item>400 12139 "access.api.error.service_token_in_use": DELETE of a token that a policy of some application still names
/// by id (take it out of the policy first; any_valid_service_token names no token).</item>
/// <item>400 6007 malformed JSON, 400 1100 body not a JSON object, 400 1115 bad page/per_page.</item>
/// </list>
/// Routes:
/// <list type="bullet">
/// <item>GET ?name=&amp;search=&amp;page=&amp;per_page= → [token] with result_info, creation order; name matches exactly, search is a
/// case-insensitive substring of the name; per_page default 20, at most 100.</item>
/// <item>POST {name, duration?="8760h", enabled?=true, client_secret_version?=1} → 201, the token plus client_secret
/// (64 hex; the only time it is shown). client_id is "&lt;32 hex&gt;.access", id a UUID, expires_at = now + duration
/// (absent for "forever").</item>
/// <item>GET {id} → the token. DELETE {id} → the token as it was; its secrets stop working at once.</item>
/// <item>PUT {id} {name?, duration?, enabled?, client_secret_version?, previous_client_secret_expires_at?} → the token.
/// A new duration applies from the next refresh (expires_at does not move). enabled=false refuses the current and the
/// previous secret. A client_secret_version above the token's rotates the secret (the answer then carries the new
/// client_secret; the old one lives until previous_client_secret_expires_at, or dies at once without it); the same
/// version is no change. previous_client_secret_expires_at alone moves the end of the current grace window (later: more
/// time; now or past: the previous secret dies now); with no previous secret it is ignored.</item>
/// <item>POST {id}/refresh → the token with expires_at = now + duration (renewed from now, an expired token too; a
/// "forever" token is unchanged); same client_id and secret.</item>
/// <item>POST {id}/rotate, optional body {previous_client_secret_expires_at?} → the token plus the new client_secret.
/// The previous secret keeps working until that time; omitted (or not in the future) it dies at once, as the API
/// documents. A second rotation replaces the previous secret (only one previous secret exists).</item>
/// </list>
/// Request bodies are recorded with any client_secret redacted (<see cref="Recording.SecretRedactor"/>); injected faults
/// apply as on every API route. The protected origin that honours these tokens: <see cref="AccessOrigin"/>.
/// </summary>
internal static class AccessServiceTokenRoutes
{
    public const string Base = "/accounts/{account_id}/access/service_tokens";
    private const string One = Base + "/{service_token_id}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base, List);
        routes.Add("POST", Base, Create);
        routes.Add("GET", One, Get);
        routes.Add("PUT", One, Update);
        routes.Add("DELETE", One, Delete);
        routes.Add("POST", One + "/refresh", Refresh);
        routes.Add("POST", One + "/rotate", Rotate);
    }

    /// <summary>Account membership, then Access: Service Tokens Read or Write on the account (403 10000).</summary>
    private static void Require(ApiContext context, bool write)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.AccessServiceTokensWrite : PermissionCatalog.AccessServiceTokensRead,
            ResourceTarget.Account(accountId));
    }

    /// <summary>The token named by {service_token_id}, or 404 12002.</summary>
    private static AccessServiceToken Find(ApiContext context)
    {
        var id = context.Route("service_token_id");
        return context.State.Access.FindToken(id)
            ?? throw new ApiException(404, ErrorCodes.AccessServiceTokenNotFound, "access.api.error.service_token_not_found");
    }

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var paging = Paging.Parse(context, defaultPerPage: 20, maxPerPage: 100);
        var name = context.Query("name");
        var search = context.Query("search");
        var matching = context.State.Access.Tokens
            .Where(t => string.IsNullOrEmpty(name) || t.Name == name)
            .Where(t => string.IsNullOrEmpty(search) || t.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var (items, info) = paging.Apply(matching);
        return ApiResponse.Ok(new JsonArray(items.Select(t => (JsonNode?)AccessServiceTokenJson.ToJson(t)).ToArray()), info);
    }

    private static ApiResponse Create(ApiContext context)
    {
        Require(context, write: true);
        var draft = AccessServiceTokenParser.Parse(context.ReadJsonObject(), nameRequired: true);
        var token = context.State.Access.AddToken(draft.Name!, draft.Duration ?? AccessDuration.Default, draft.Enabled ?? true, context.Now);
        if (draft.ClientSecretVersion is { } version)
            token.SecretVersion = (int)Math.Min(version, int.MaxValue);
        return new ApiResponse { Status = 201, Result = AccessServiceTokenJson.WithSecret(token, token.Secret) };
    }

    private static ApiResponse Get(ApiContext context)
    {
        Require(context, write: false);
        return ApiResponse.Ok(AccessServiceTokenJson.ToJson(Find(context)));
    }

    private static ApiResponse Update(ApiContext context)
    {
        Require(context, write: true);
        var token = Find(context);
        var draft = AccessServiceTokenParser.Parse(context.ReadJsonObject(), nameRequired: false);
        if (draft.ClientSecretVersion is { } version && version < token.SecretVersion)
            throw AccessServiceTokenParser.Invalid($"client_secret_version must not go down (the token is at {token.SecretVersion})");

        var now = context.Now;
        if (draft.Name is { } name)
            token.Name = name;
        if (draft.Duration is { } duration)
            token.Duration = duration;
        if (draft.Enabled is { } enabled)
            token.Enabled = enabled;
        token.UpdatedAt = now;

        if (draft.ClientSecretVersion is { } next && next > token.SecretVersion)
        {
            var secret = token.Rotate(now, draft.PreviousClientSecretExpiresAt);
            token.SecretVersion = (int)Math.Min(next, int.MaxValue);
            return ApiResponse.Ok(AccessServiceTokenJson.WithSecret(token, secret));
        }
        if (draft.PreviousClientSecretExpiresAt is { } until && token.PreviousSecret is not null)
            token.PreviousSecretExpiresAt = until > now ? until : now;
        return ApiResponse.Ok(AccessServiceTokenJson.ToJson(token));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        Require(context, write: true);
        var token = Find(context);
        if (context.State.Access.IsNamedByAPolicy(token.Id))
            throw ApiException.BadRequest(ErrorCodes.AccessServiceTokenInUse,
                "access.api.error.service_token_in_use: cannot delete service token because it is used by a policy");
        context.State.Access.RemoveToken(token);
        return ApiResponse.Ok(AccessServiceTokenJson.ToJson(token));
    }

    private static ApiResponse Refresh(ApiContext context)
    {
        Require(context, write: true);
        var token = Find(context);
        token.ExpiresAt = token.Duration.ExpiryFrom(context.Now);
        token.UpdatedAt = context.Now;
        return ApiResponse.Ok(AccessServiceTokenJson.ToJson(token));
    }

    private static ApiResponse Rotate(ApiContext context)
    {
        Require(context, write: true);
        var token = Find(context);
        var body = context.ReadJsonObjectOrEmpty();
        var grace = AccessServiceTokenParser.ParseTime(body, "previous_client_secret_expires_at");
        var secret = token.Rotate(context.Now, grace);
        return ApiResponse.Ok(AccessServiceTokenJson.WithSecret(token, secret));
    }
}
