using CfManagement.Model;

namespace CfManagement.Tests.Tokens;

/// <summary>A small permission-group catalogue with the shapes that matter: one group per scope, and a name in two scopes.</summary>
internal static class Catalogue
{
    public static readonly CfPermissionGroup DnsWrite = new("11111111111111111111111111111111", "DNS Write", [PermissionScopes.Zone]);
    public static readonly CfPermissionGroup ZoneRead = new("22222222222222222222222222222222", "Zone Read", [PermissionScopes.Zone]);
    public static readonly CfPermissionGroup WorkersRead = new("33333333333333333333333333333333", "Workers Scripts Read", [PermissionScopes.Account]);
    public static readonly CfPermissionGroup UserDetails = new("44444444444444444444444444444444", "User Details Read", [PermissionScopes.User]);
    public static readonly CfPermissionGroup R2Bucket = new("55555555555555555555555555555555", "Workers R2 Storage Write", [PermissionScopes.R2Bucket]);
    public static readonly CfPermissionGroup AnalyticsZone = new("66666666666666666666666666666666", "Analytics Read", [PermissionScopes.Zone]);
    public static readonly CfPermissionGroup AnalyticsAccount = new("77777777777777777777777777777777", "Analytics Read", [PermissionScopes.Account]);

    public static readonly IReadOnlyList<CfPermissionGroup> All = [DnsWrite, ZoneRead, WorkersRead, UserDetails, R2Bucket, AnalyticsZone, AnalyticsAccount];
}
