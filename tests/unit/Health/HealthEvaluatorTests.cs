using CfManagement.Health;
using CfManagement.Model;
using Xunit;
using static CfManagement.Tests.Tokens.Catalogue;

namespace CfManagement.Tests.Health;

/// <summary>The health rules on fixed facts and a fixed clock: exact issues, recommendations and boundaries.</summary>
public class HealthEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const string Id = "0123456789abcdef0123456789abcdef";

    private static HealthFacts Facts(string status = "active", DateTimeOffset? expires = null, IEnumerable<string>? held = null,
        CfTokenScope scope = CfTokenScope.User) =>
        new() { Id = Id, Name = "ci", Scope = scope, Status = status, ExpiresOn = expires, HeldGroupIds = held == null ? null : new HashSet<string>(held) };

    [Fact]
    public void Active_token_holding_everything_is_healthy()
    {
        var health = HealthEvaluator.Evaluate(Facts(held: [DnsWrite.Id, WorkersRead.Id]), [DnsWrite, WorkersRead], 7, Now);
        Assert.True(health.Healthy);
        Assert.Empty(health.Recommendations);
        Assert.Empty(health.MissingPermissionGroups);
        Assert.True(health.PermissionsKnown);
        Assert.Equal(["DNS Write", "Workers Scripts Read"], health.RequiredPermissionGroups);
        Assert.Equal(Now, health.CheckedOn);
    }

    [Fact]
    public void Expiry_warning_starts_at_the_threshold_in_whole_days()
    {
        // 7 days 23:59:59 left floors to 7: inside a 7-day threshold. Exactly 8 days left is outside.
        var inside = HealthEvaluator.Evaluate(Facts(expires: Now.AddDays(8).AddSeconds(-1)), [], 7, Now);
        Assert.Equal(["Token expires in 7 day(s), on 2026-03-18 (warning threshold 7 days)."], inside.Issues);
        Assert.StartsWith("Roll or replace before 2026-03-18: Set-CfToken -Id " + Id + " -ExpiresOn", Assert.Single(inside.Recommendations));

        Assert.True(HealthEvaluator.Evaluate(Facts(expires: Now.AddDays(8)), [], 7, Now).Healthy);
        Assert.False(HealthEvaluator.Evaluate(Facts(expires: Now.AddDays(8)), [], 8, Now).Healthy);
    }

    [Fact]
    public void Expiry_at_this_very_moment_is_expired_not_a_warning()
    {
        var health = HealthEvaluator.Evaluate(Facts(expires: Now), [], 7, Now);
        Assert.Equal(["Token expired on 2026-03-10."], health.Issues);
        Assert.Contains("Set-CfToken -Id " + Id + " -ExpiresOn <future date>", Assert.Single(health.Recommendations));
    }

    [Theory]
    [InlineData("disabled", "Token is disabled.", "Token is disabled: Set-CfToken -Id " + Id + " -Scope Account -Enable")]
    [InlineData("expired", "Token expired.", "Token expired: extend it with Set-CfToken -Id " + Id + " -Scope Account -ExpiresOn <future date>, or replace it (New-CfToken) and remove it.")]
    [InlineData("weird", "Token status is 'weird'.", "Inspect it with Get-CfToken -Id " + Id + " -Scope Account.")]
    public void Each_status_gets_its_own_issue_and_fix(string status, string issue, string recommendation)
    {
        var health = HealthEvaluator.Evaluate(Facts(status, scope: CfTokenScope.Account), [], 7, Now);
        Assert.Equal([issue], health.Issues);
        Assert.Equal([recommendation], health.Recommendations);
    }

    [Fact]
    public void Revoked_by_scanning_is_recognised_by_prefix()
    {
        var health = HealthEvaluator.Evaluate(Facts("revoked_leaked"), [], 7, Now);
        Assert.StartsWith("Token is revoked_leaked: Cloudflare revoked it", Assert.Single(health.Issues));
    }

    [Fact]
    public void Missing_groups_are_named_in_required_order_with_a_scope_qualified_repair_command()
    {
        var health = HealthEvaluator.Evaluate(Facts(held: [ZoneRead.Id], scope: CfTokenScope.Account), [WorkersRead, DnsWrite, ZoneRead, DnsWrite], 7, Now);
        Assert.Equal(["Workers Scripts Read", "DNS Write"], health.MissingPermissionGroups);
        Assert.Equal(["Missing permission groups: Workers Scripts Read, DNS Write."], health.Issues);
        Assert.Equal([$"Repair-CfToken -Id {Id} -Scope Account -RequiredPermissionGroup 'Account:Workers Scripts Read','Zone:DNS Write' -AllZones adds: Workers Scripts Read, DNS Write"],
            health.Recommendations);
    }

    [Fact]
    public void Unreadable_policies_are_unknown_not_missing()
    {
        var facts = Facts();
        facts.UnknownReason = "verify-only";
        var health = HealthEvaluator.Evaluate(facts, [DnsWrite], 7, Now);
        Assert.False(health.PermissionsKnown);
        Assert.Empty(health.MissingPermissionGroups);
        Assert.StartsWith("Permissions unknown: the token's policies could not be read", Assert.Single(health.Issues));
        Assert.Equal("Permissions unknown: verify-only", health.ExtraInfo);
    }

    [Fact]
    public void An_invalid_value_is_not_compared_with_required_groups()
    {
        var health = HealthEvaluator.Evaluate(Facts("invalid", held: []), [DnsWrite], 7, Now);
        Assert.Equal(["Cloudflare does not recognise this token value: it was deleted, rolled, or mistyped."], health.Issues);
        Assert.Empty(health.MissingPermissionGroups);
    }

    [Fact]
    public void Not_yet_valid_is_an_issue_until_not_before_has_passed()
    {
        var facts = Facts();
        facts.NotBefore = Now.AddHours(1);
        Assert.Equal(["Token is not valid before 2026-03-10 13:00:00Z."], HealthEvaluator.Evaluate(facts, [], 7, Now).Issues);
        facts.NotBefore = Now;
        Assert.True(HealthEvaluator.Evaluate(facts, [], 7, Now).Healthy);
    }

    [Fact]
    public void Only_allow_policies_count_as_held()
    {
        var token = new CfToken(Id, "ci", "active", CfTokenScope.User, null, null, null, null, null, null,
        [
            new CfTokenPolicy(null, "allow", [new CfPermissionGroupRef(DnsWrite.Id, "DNS Write"), new CfPermissionGroupRef(ZoneRead.Id, "Zone Read")], new Dictionary<string, string>()),
            new CfTokenPolicy(null, "deny", [new CfPermissionGroupRef(WorkersRead.Id, "Workers Scripts Read")], new Dictionary<string, string>()),
            new CfTokenPolicy(null, "Allow", [new CfPermissionGroupRef(DnsWrite.Id, "DNS Write")], new Dictionary<string, string>()),
        ], [], []);
        Assert.Equal([DnsWrite.Id, ZoneRead.Id], HealthEvaluator.HeldGroupIds(token));
    }
}
