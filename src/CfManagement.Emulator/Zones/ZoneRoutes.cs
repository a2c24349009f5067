using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Zones;

/// <summary>
/// GET /zones (paged, per_page ≤ 50, filters name and account.id) and GET /zones/{zone_id}.
/// A zone is visible to a token holding any zone-scoped group on it. Unknown zone id: 400 7003 (as
/// for any unroutable object id); a zone the token cannot see: 403 10000.
/// </summary>
internal static class ZoneRoutes
{
    public static void Register(RouteTable routes)
    {
        routes.Add("GET", "/zones", List);
        routes.Add("GET", "/zones/{zone_id}", Get);
    }

    private static ApiResponse List(ApiContext context)
    {
        var paging = Paging.Parse(context, 20, 50);
        var name = context.Query("name");
        var accountId = context.Query("account.id");
        var zones = context.State.Zones
            .Where(z => PermissionEvaluator.CanSeeZone(context.Caller, z.AccountId, z.Id))
            .Where(z => name is null || z.Name == name)
            .Where(z => accountId is null || z.AccountId == accountId)
            .OrderBy(z => z.Name, StringComparer.Ordinal)
            .ToList();
        var (page, info) = paging.Apply(zones);
        return ApiResponse.Ok(new JsonArray(page.Select(z => (JsonNode?)ZoneJson(z, context)).ToArray()), info);
    }

    private static ApiResponse Get(ApiContext context)
    {
        var id = context.Route("zone_id");
        var zone = context.State.FindZone(id)
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidObjectIdentifier,
                $"Could not route to {context.Http.Request.Path}, perhaps your object identifier is invalid?");
        if (!PermissionEvaluator.CanSeeZone(context.Caller, zone.AccountId, zone.Id))
            throw ApiException.Forbidden();
        return ApiResponse.Ok(ZoneJson(zone, context));
    }

    private static JsonObject ZoneJson(EmulatorZone zone, ApiContext context) => new()
    {
        ["id"] = zone.Id,
        ["name"] = zone.Name,
        ["status"] = "active",
        ["paused"] = false,
        ["type"] = "full",
        ["development_mode"] = 0,
        ["name_servers"] = new JsonArray("ada.ns.cloudflare.com", "bob.ns.cloudflare.com"),
        ["original_name_servers"] = new JsonArray(),
        ["original_registrar"] = null,
        ["original_dnshost"] = null,
        ["vanity_name_servers"] = new JsonArray(),
        ["created_on"] = TokenJson.Time(zone.CreatedOn),
        ["modified_on"] = TokenJson.Time(zone.CreatedOn),
        ["activated_on"] = TokenJson.Time(zone.CreatedOn),
        ["meta"] = new JsonObject
        {
            ["step"] = 4,
            ["custom_certificate_quota"] = 0,
            ["page_rule_quota"] = 3,
            ["phishing_detected"] = false,
            ["cdn_only"] = false,
            ["dns_only"] = false,
            ["foundation_dns"] = false,
        },
        ["owner"] = new JsonObject { ["id"] = null, ["type"] = "organization", ["name"] = context.State.AccountName },
        ["account"] = new JsonObject { ["id"] = zone.AccountId, ["name"] = context.State.AccountName },
        ["plan"] = new JsonObject { ["id"] = "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", ["name"] = "Free Website", ["price"] = 0, ["currency"] = "USD", ["frequency"] = "", ["is_subscribed"] = false, ["can_subscribe"] = false, ["legacy_id"] = "free", ["legacy_discount"] = false, ["externally_managed"] = false },
    };
}
