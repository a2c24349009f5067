using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Access;

/// <summary>
/// GET /accounts/{account_id}/access/apps?name=&amp;domain=&amp;aud=&amp;search=&amp;exact=&amp;page=&amp;per_page= → the account's
/// applications as the minimal shape of cf-trimmed.json (access_app-minimal: {id, aud, name, domain, type,
/// session_duration, created_at, updated_at}), creation order, with result_info. name and domain match as
/// case-insensitive substrings, or exactly with exact=true; aud always exactly; search is a substring of the name or the
/// domain. per_page default 20, at most 100.
/// Errors: 403 10000 (caller outside the account, or lacking Access: Apps and Policies Read or Write on it),
/// 400 1115 (bad page/per_page).
/// Applications and their policies are made through the admin API (<see cref="AccessAdmin"/>), not emulated here.
/// </summary>
internal static class AccessApplicationRoutes
{
    public static void Register(RouteTable routes) => routes.Add("GET", "/accounts/{account_id}/access/apps", List);

    private static ApiResponse List(ApiContext context)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(PermissionCatalog.AccessAppsRead, ResourceTarget.Account(accountId));
        var paging = Paging.Parse(context, defaultPerPage: 20, maxPerPage: 100);
        var exact = string.Equals(context.Query("exact"), "true", StringComparison.OrdinalIgnoreCase);
        var name = context.Query("name");
        var domain = context.Query("domain");
        var aud = context.Query("aud");
        var search = context.Query("search");

        bool Like(string value, string? wanted) => string.IsNullOrEmpty(wanted)
            || (exact ? string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase) : value.Contains(wanted, StringComparison.OrdinalIgnoreCase));

        var matching = context.State.Access.Apps
            .Where(a => Like(a.Name, name) && Like(a.Domain, domain))
            .Where(a => string.IsNullOrEmpty(aud) || a.Aud == aud)
            .Where(a => string.IsNullOrEmpty(search) || a.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || a.Domain.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var (items, info) = paging.Apply(matching);
        return ApiResponse.Ok(new JsonArray(items.Select(a => (JsonNode?)a.ToMinimalJson()).ToArray()), info);
    }
}
