using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Accounts;

/// <summary>
/// GET /memberships: the calling user's memberships, paged like /accounts (page, per_page ≤ 50, default 20;
/// result_info with total_count). Each is {id, account (as GET /accounts/{id}), api_access_enabled, roles[],
/// status: "accepted"}: every emulated user is a member of the one account, a Super Administrator with the role
/// "Super Administrator - All Privileges", anyone else "Administrator". User tokens only (account tokens 401 10001);
/// needs Memberships Read on the user, else 403 10000.
/// `wrangler whoami` (and every wrangler command that looks up the account when CLOUDFLARE_ACCOUNT_ID is unset)
/// intersects this list with GET /accounts; `whoami --account` prints the roles.
/// </summary>
internal static class MembershipRoutes
{
    public static void Register(RouteTable routes) => routes.Add("GET", "/memberships", List, userTokensOnly: true);

    private static ApiResponse List(ApiContext context)
    {
        var user = context.CallerUser ?? throw ApiException.Forbidden();
        context.Require(PermissionCatalog.Get("Memberships Read", PermissionScopes.User), ResourceTarget.User(user.Id));
        var paging = Paging.Parse(context, 20, 50);
        var (page, info) = paging.Apply(new[] { MembershipJson(context, user) });
        return ApiResponse.Ok(new JsonArray(page.Select(m => (JsonNode?)m).ToArray()), info);
    }

    private static JsonObject MembershipJson(ApiContext context, EmulatorUser user) => new()
    {
        // Stable per user and account, 32 hex like every Cloudflare id.
        ["id"] = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(
            System.Text.Encoding.UTF8.GetBytes("membership:" + context.State.AccountId + ":" + user.Id))),
        ["account"] = AccountRoutes.AccountJson(context),
        ["api_access_enabled"] = null,
        ["roles"] = new JsonArray(user.IsSuperAdmin ? "Super Administrator - All Privileges" : "Administrator"),
        ["status"] = "accepted",
    };
}
