using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Auth;

/// <summary>Evaluates a token's policies: allowed when an allow policy grants the group on the target and no deny policy does.</summary>
internal static class PermissionEvaluator
{
    public static bool Has(Token token, PermissionGroup required, ResourceTarget target)
    {
        var satisfying = PermissionCatalog.Satisfying(required);
        bool Matches(Policy p) => p.PermissionGroupIds.Any(satisfying.Contains) && ResourceKeys.Covers(p.Resources, target);

        if (token.Policies.Any(p => p.Effect == "deny" && Matches(p)))
            return false;
        return token.Policies.Any(p => p.Effect == "allow" && Matches(p));
    }

    /// <summary>Whether the token holds any zone-scoped group on the zone (that makes the zone visible).</summary>
    public static bool CanSeeZone(Token token, string accountId, string zoneId)
    {
        var target = ResourceTarget.Zone(accountId, zoneId);
        return token.Policies.Any(p => p.Effect == "allow"
            && p.PermissionGroupIds.Any(id => PermissionCatalog.Find(id)?.Scope == PermissionScopes.Zone)
            && ResourceKeys.Covers(p.Resources, target));
    }

    /// <summary>Whether any allow policy reaches the account itself or one of its zones (what GET /accounts needs).</summary>
    public static bool HasAnyAccess(Token token, string accountId, IEnumerable<string> zoneIds)
    {
        var zones = zoneIds.ToList();
        return token.Policies.Any(p => p.Effect == "allow"
            && (ResourceKeys.Covers(p.Resources, ResourceTarget.Account(accountId))
                || zones.Any(z => ResourceKeys.Covers(p.Resources, ResourceTarget.Zone(accountId, z)))));
    }

    /// <summary>Groups (ids) the token holds in allow policies, excluding user-scoped ones.</summary>
    public static IReadOnlySet<string> HeldNonUserGroups(Token token) =>
        token.Policies.Where(p => p.Effect == "allow")
            .SelectMany(p => p.PermissionGroupIds)
            .Where(id => PermissionCatalog.Find(id) is { IsUserScoped: false })
            .ToHashSet();
}
