using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Accounts;

/// <summary>
/// GET /memberships (what `wrangler whoami` and wrangler's account lookup read): user tokens only (account tokens get
/// 401 10001, as on /user), paged like /accounts (page, per_page default 20, at most 50; bad values 400 1115) →
/// [{id, status: "accepted", account{id, name}, roles[], permissions{}}] with result_info. The caller's user has a
/// membership in the account when the token sees the account (any permission on it or its zones, as GET /accounts);
/// roles: "Super Administrator - All Privileges" for super administrators, else "Administrator".
/// </summary>
internal static class MembershipRoutes
{
    public static void Register(RouteTable routes) => routes.Add("GET", "/memberships", List, userTokensOnly: true);

    private static ApiResponse List(ApiContext context)
    {
        var user = context.CallerUser ?? throw ApiException.Forbidden();
        var paging = Paging.Parse(context, 20, 50);
        var memberships = AccountRoutes.CanSee(context, context.State.AccountId)
            ? new[] { Membership(context, user) }
            : [];
        var (page, info) = paging.Apply(memberships);
        return ApiResponse.Ok(new JsonArray(page.Select(m => (JsonNode?)m).ToArray()), info);
    }

    private static JsonObject Membership(ApiContext context, EmulatorUser user) => new()
    {
        // Stable per user and account, 32 hex like Cloudflare's membership ids.
        ["id"] = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(
            System.Text.Encoding.UTF8.GetBytes(user.Id + ":" + context.State.AccountId))),
        ["status"] = "accepted",
        ["account"] = new JsonObject { ["id"] = context.State.AccountId, ["name"] = context.State.AccountName },
        ["roles"] = new JsonArray(user.IsSuperAdmin ? "Super Administrator - All Privileges" : "Administrator"),
        ["permissions"] = new JsonObject(),
    };
}
