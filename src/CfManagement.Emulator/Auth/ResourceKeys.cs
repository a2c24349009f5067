using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Auth;

/// <summary>Resource key spellings and the rule for whether a policy's resources cover a target.</summary>
internal static class ResourceKeys
{
    public const string UserPrefix = "com.cloudflare.api.user.";
    public const string AccountPrefix = "com.cloudflare.api.account.";
    public const string ZonePrefix = "com.cloudflare.api.account.zone.";
    public const string R2BucketPrefix = "com.cloudflare.edge.r2.bucket.";

    public static string User(string userId) => UserPrefix + userId;
    public static string Account(string accountId) => AccountPrefix + accountId;
    public static string Zone(string zoneId) => ZonePrefix + zoneId;
    public const string AllZones = ZonePrefix + "*";

    /// <summary>
    /// Whether resources cover the target. Zones are covered by their own key, by "zone.*", or by an
    /// account key whose nested object lists the zone or "zone.*". A flat account key does NOT cover zones.
    /// </summary>
    public static bool Covers(IReadOnlyDictionary<string, string> resources, ResourceTarget target)
    {
        foreach (var (key, value) in resources)
        {
            if (target.ZoneId is { } zoneId)
            {
                if (key == Zone(zoneId) || key == AllZones)
                    return true;
                if ((key == Account(target.AccountId!) || key == AccountPrefix + "*") && NestedCoversZone(value, zoneId))
                    return true;
            }
            else if (target.AccountId is { } accountId)
            {
                if (key == Account(accountId) || key == AccountPrefix + "*")
                    return true;
            }
            else if (target.UserId is { } userId)
            {
                if (key == User(userId) || key == UserPrefix + "*")
                    return true;
            }
        }
        return false;
    }

    private static bool NestedCoversZone(string value, string zoneId)
    {
        if (!value.StartsWith('{'))
            return false;
        var nested = JsonNode.Parse(value)!.AsObject();
        return nested.ContainsKey(AllZones) || nested.ContainsKey(Zone(zoneId));
    }
}
