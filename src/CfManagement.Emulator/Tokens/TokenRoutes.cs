using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Tokens;

/// <summary>Token endpoints, registered once for /user/tokens and once for /accounts/{account_id}/tokens.</summary>
internal static class TokenRoutes
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 50;

    public static void Register(RouteTable routes)
    {
        static TokenFamily User(ApiContext _) => new UserTokenFamily();
        static TokenFamily Account(ApiContext c) => new AccountTokenFamily(c.Route("account_id"));

        routes.Add("GET", "/user/tokens/verify", VerifyUser, userTokensOnly: true, allowsInactiveToken: true);
        routes.Add("GET", "/accounts/{account_id}/tokens/verify", VerifyAccount, allowsInactiveToken: true);
        routes.Add("GET", "/user/tokens/permission_groups", c => PermissionGroups(c, User(c)), userTokensOnly: true);
        routes.Add("GET", "/accounts/{account_id}/tokens/permission_groups", c => PermissionGroups(c, Account(c)));

        foreach (var (prefix, family, userOnly) in new (string, Func<ApiContext, TokenFamily>, bool)[]
                 { ("/user/tokens", User, true), ("/accounts/{account_id}/tokens", Account, false) })
        {
            routes.Add("GET", prefix, c => List(c, family(c)), userOnly);
            routes.Add("POST", prefix, c => Create(c, family(c)), userOnly);
            routes.Add("GET", prefix + "/{token_id}", c => Get(c, family(c)), userOnly);
            routes.Add("PUT", prefix + "/{token_id}", c => Update(c, family(c)), userOnly);
            routes.Add("DELETE", prefix + "/{token_id}", c => Delete(c, family(c)), userOnly);
            routes.Add("PUT", prefix + "/{token_id}/value", c => Roll(c, family(c)), userOnly);
        }
    }

    private static ApiResponse VerifyUser(ApiContext context) => Verified(context);

    private static ApiResponse VerifyAccount(ApiContext context)
    {
        // A user token is not an account token at all: treat it like an unknown value (chosen: 401 9109).
        if (!context.CallerIsAccountToken)
            return Auth.Authenticator.InvalidToken();
        context.RequireAccountMember(context.Route("account_id"));
        return Verified(context);
    }

    private static ApiResponse Verified(ApiContext context)
    {
        var active = context.Caller.IsUsable(context.Now);
        return new ApiResponse
        {
            Result = TokenJson.VerifyJson(context.Caller, context.Now),
            Messages = active ? [new ApiError(ErrorCodes.AuthenticationError, "This API Token is valid and active")] : [],
        };
    }

    private static ApiResponse PermissionGroups(ApiContext context, TokenFamily family)
    {
        if (!family.CanListPermissionGroups(context))
            return ApiResponse.Fail(403, ErrorCodes.InvalidAccessToken, "Unauthorized to access requested resource");
        var name = context.Query("name");
        var scope = context.Query("scope");
        var groups = PermissionCatalog.All
            .Where(g => family.Owner == TokenOwnerKind.User || !g.IsUserScoped)
            .Where(g => name is null || g.Name == name)
            .Where(g => scope is null || g.Scope == scope)
            .Select(g => (JsonNode?)TokenJson.PermissionGroupJson(g));
        return ApiResponse.Ok(new JsonArray(groups.ToArray()));
    }

    private static ApiResponse List(ApiContext context, TokenFamily family)
    {
        family.RequireAccess(context, write: false);
        var paging = Paging.Parse(context, DefaultPerPage, MaxPerPage);
        var tokens = family.Visible(context);
        if (family.Owner == TokenOwnerKind.Account && !IncludeExpired(context))
            tokens = tokens.Where(t => t.EffectiveStatus(context.Now) != TokenStatuses.Expired);
        var (page, info) = paging.Apply(tokens.ToList());
        return ApiResponse.Ok(new JsonArray(page.Select(t => (JsonNode?)TokenJson.ToJson(t, context.Now)).ToArray()), info);
    }

    private static bool IncludeExpired(ApiContext context) => context.Query("include_expired") switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw ApiException.BadRequest(ErrorCodes.InvalidPaging, "include_expired must be true or false"),
    };

    private static ApiResponse Create(ApiContext context, TokenFamily family)
    {
        family.RequireAccess(context, write: true);
        var draft = TokenRequestParser.Parse(context.ReadJsonObject(), context.Now, isUpdate: false);
        var policies = Grant(context, family, draft.Policies);
        family.CheckQuota(context);
        var token = context.State.InsertToken(family.Owner, family.OwnerOrCreatorUserId(context), draft.Name, policies,
            draft.ExpiresOn, draft.NotBefore, TokenStatuses.Active, legacy: false, condition: draft.Condition);
        var json = TokenJson.ToJson(token, context.Now);
        json["value"] = token.Value;
        return ApiResponse.Ok(json);
    }

    private static ApiResponse Get(ApiContext context, TokenFamily family)
    {
        var token = FindThenAuthorize(context, family, write: false);
        return ApiResponse.Ok(TokenJson.ToJson(token, context.Now));
    }

    private static ApiResponse Update(ApiContext context, TokenFamily family)
    {
        var token = FindThenAuthorize(context, family, write: true);
        var draft = TokenRequestParser.Parse(context.ReadJsonObject(), context.Now, isUpdate: true);
        var current = token.EffectiveStatus(context.Now);
        if (draft.Status is not (null or TokenStatuses.Active or TokenStatuses.Disabled) && draft.Status != current)
            throw ApiException.BadRequest(ErrorCodes.InvalidStatus, "status must be one of: active, disabled");

        token.Policies = Grant(context, family, draft.Policies);
        token.Name = draft.Name;
        if (draft.Status is TokenStatuses.Active or TokenStatuses.Disabled)
            token.Status = draft.Status;
        token.Condition = draft.Condition;
        token.ExpiresOn = draft.ExpiresOn;
        token.NotBefore = draft.NotBefore;
        token.ModifiedOn = context.Now;
        return ApiResponse.Ok(TokenJson.ToJson(token, context.Now));
    }

    private static ApiResponse Delete(ApiContext context, TokenFamily family)
    {
        var token = FindThenAuthorize(context, family, write: true);
        context.State.RemoveToken(token);
        return ApiResponse.Ok(new JsonObject { ["id"] = token.Id });
    }

    private static ApiResponse Roll(ApiContext context, TokenFamily family)
    {
        var token = FindThenAuthorize(context, family, write: true);
        context.ReadJsonObjectOrEmpty();
        return ApiResponse.Ok(JsonValue.Create(context.State.RollToken(token)));
    }

    /// <summary>
    /// Single-token routes look the token up among those the caller can see before checking the
    /// caller's permission: another user's token is 404 1003 even for a token lacking API Tokens Read,
    /// while a visible token without the permission is 403 10000. (Membership of the account is checked first.)
    /// </summary>
    private static Token FindThenAuthorize(ApiContext context, TokenFamily family, bool write)
    {
        if (family is AccountTokenFamily)
            context.RequireAccountMember(context.Route("account_id"));
        var token = family.FindVisible(context, context.Route("token_id"));
        family.RequireAccess(context, write);
        return token;
    }

    /// <summary>
    /// Account tokens cannot hold user-scoped groups (400). Otherwise groups the creator may not grant are
    /// dropped silently, and policies left empty disappear: the call still succeeds.
    /// </summary>
    private static List<Policy> Grant(ApiContext context, TokenFamily family, IReadOnlyList<Policy> requested)
    {
        if (family.Owner == TokenOwnerKind.Account)
        {
            var userScoped = requested.SelectMany(p => p.PermissionGroupIds).FirstOrDefault(id => PermissionCatalog.Find(id)!.IsUserScoped);
            if (userScoped is not null)
                throw ApiException.BadRequest(ErrorCodes.UserScopeOnAccountToken,
                    $"policies: permission group {userScoped} is user-scoped and cannot be granted to an account-owned token");
        }
        var grantable = family.Grantable(context);
        if (grantable is null)
            return requested.ToList();
        return requested
            .Select(p => p with { PermissionGroups = p.PermissionGroups.Where(g => grantable.Contains(g.Id)).ToList() })
            .Where(p => p.PermissionGroups.Count > 0)
            .ToList();
    }
}
