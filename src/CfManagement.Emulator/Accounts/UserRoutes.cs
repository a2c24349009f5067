using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Accounts;

/// <summary>GET /user: user tokens only, needs User Details Read on the user.</summary>
internal static class UserRoutes
{
    public static void Register(RouteTable routes) => routes.Add("GET", "/user", Get, userTokensOnly: true);

    private static ApiResponse Get(ApiContext context)
    {
        var user = context.CallerUser ?? throw ApiException.Forbidden();
        context.Require(PermissionCatalog.UserDetailsRead, ResourceTarget.User(user.Id));
        var local = user.Email.Split('@')[0];
        return ApiResponse.Ok(new JsonObject
        {
            ["id"] = user.Id,
            ["email"] = user.Email,
            ["username"] = local,
            ["first_name"] = local,
            ["last_name"] = null,
            ["telephone"] = null,
            ["country"] = null,
            ["zipcode"] = null,
            ["created_on"] = TokenJson.Time(user.CreatedOn),
            ["modified_on"] = TokenJson.Time(user.CreatedOn),
            ["two_factor_authentication_enabled"] = false,
            ["two_factor_authentication_locked"] = false,
            ["suspended"] = false,
            ["has_pro_zones"] = false,
            ["has_business_zones"] = false,
            ["has_enterprise_zones"] = false,
            ["organizations"] = new JsonArray(),
            ["betas"] = new JsonArray(),
        });
    }
}
