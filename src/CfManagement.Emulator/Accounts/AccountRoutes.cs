using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Accounts;

/// <summary>
/// GET /accounts (user tokens only: account tokens get 403 1001) and GET /accounts/{account_id}.
/// A token sees the account when it holds any permission on the account or one of its zones;
/// otherwise the list is empty and the details are 403 10000.
/// </summary>
internal static class AccountRoutes
{
    public static void Register(RouteTable routes)
    {
        routes.Add("GET", "/accounts", List);
        routes.Add("GET", "/accounts/{account_id}", Get);
    }

    private static ApiResponse List(ApiContext context)
    {
        if (context.CallerIsAccountToken)
            return ApiResponse.Fail(403, ErrorCodes.AccountTokenOnAccountsList, "Account owned tokens cannot list accounts; use GET /accounts/{account_id}");
        var paging = Paging.Parse(context, 20, 50);
        var accounts = CanSee(context, context.State.AccountId) ? new[] { AccountJson(context) } : [];
        var (page, info) = paging.Apply(accounts);
        return ApiResponse.Ok(new JsonArray(page.Select(a => (JsonNode?)a).ToArray()), info);
    }

    private static ApiResponse Get(ApiContext context)
    {
        var accountId = context.Route("account_id");
        if (!CanSee(context, accountId))
            throw ApiException.Forbidden();
        return ApiResponse.Ok(AccountJson(context));
    }

    internal static bool CanSee(ApiContext context, string accountId) =>
        context.CallerBelongsTo(accountId)
        && PermissionEvaluator.HasAnyAccess(context.Caller, accountId, context.State.Zones.Where(z => z.AccountId == accountId).Select(z => z.Id));

    private static JsonObject AccountJson(ApiContext context) => new()
    {
        ["id"] = context.State.AccountId,
        ["name"] = context.State.AccountName,
        ["type"] = "standard",
        ["settings"] = new JsonObject
        {
            ["enforce_twofactor"] = false,
            ["api_access_enabled"] = null,
            ["access_approval_expiry"] = null,
            ["use_account_custom_ns_by_default"] = false,
            ["default_nameservers"] = "cloudflare.standard",
            ["abuse_contact_email"] = null,
        },
        ["created_on"] = TokenJson.Time(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)),
    };
}
