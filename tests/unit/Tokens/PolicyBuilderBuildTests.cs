using CfManagement.Model;
using CfManagement.Tokens;
using Xunit;
using static CfManagement.Tests.Tokens.Catalogue;

namespace CfManagement.Tests.Tokens;

/// <summary>Groups and zones to Cloudflare policies: one allow policy per resource kind, exact resource keys.</summary>
public class PolicyBuilderBuildTests
{
    private const string AccountId = "0123456789abcdef0123456789abcdef";
    private static readonly PolicyBuilder Builder = new(All);
    private static readonly CfZone ZoneA = new("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a.example", "active", AccountId, "acct");
    private static readonly CfZone ZoneB = new("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "b.example", "active", AccountId, "acct");

    private static (List<CfTokenPolicy> Policies, List<System.Management.Automation.ErrorRecord> Errors) Build(
        IReadOnlyList<CfPermissionGroup> groups, CfTokenScope owner = CfTokenScope.User, IReadOnlyList<CfZone>? zones = null,
        bool allZones = false, string? accountId = AccountId, string? userId = "u1") =>
        Builder.Build(groups, owner, zones, allZones, accountId, () => userId, "PermissionGroup");

    [Fact]
    public void Zone_groups_apply_to_each_named_zone_in_one_allow_policy()
    {
        var (policies, errors) = Build([DnsWrite, ZoneRead], zones: [ZoneA, ZoneB]);
        Assert.Empty(errors);
        var policy = Assert.Single(policies);
        Assert.Equal("allow", policy.Effect);
        Assert.Equal([DnsWrite.Id, ZoneRead.Id], policy.PermissionGroups.Select(g => g.Id));
        Assert.Equal(new Dictionary<string, string>
        {
            ["com.cloudflare.api.account.zone.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] = "*",
            ["com.cloudflare.api.account.zone.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"] = "*",
        }, policy.Resources);
    }

    [Fact]
    public void AllZones_uses_the_zone_wildcard_even_when_zones_are_given()
    {
        var (policies, _) = Build([DnsWrite], zones: [ZoneA], allZones: true);
        Assert.Equal(["com.cloudflare.api.account.zone.*"], Assert.Single(policies).Resources.Keys);
    }

    [Fact]
    public void Zone_group_without_zones_is_refused()
    {
        var (policies, errors) = Build([DnsWrite], zones: []);
        Assert.Empty(policies);
        var error = Assert.Single(errors);
        Assert.Equal("ZoneRequired", error.FullyQualifiedErrorId);
        Assert.Equal("Pass -Zone <name or id>[,...] or -AllZones.", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Account_and_user_groups_get_their_own_policies_with_exact_keys()
    {
        var (policies, errors) = Build([DnsWrite, WorkersRead, UserDetails], zones: [ZoneA]);
        Assert.Empty(errors);
        Assert.Equal(3, policies.Count);
        Assert.Equal([$"com.cloudflare.api.account.{AccountId}"], policies.Single(p => p.PermissionGroups[0].Id == WorkersRead.Id).Resources.Keys);
        Assert.Equal(["com.cloudflare.api.user.u1"], policies.Single(p => p.PermissionGroups[0].Id == UserDetails.Id).Resources.Keys);
    }

    [Fact]
    public void Account_group_without_a_session_account_is_refused()
    {
        var (policies, errors) = Build([WorkersRead], accountId: null);
        Assert.Empty(policies);
        Assert.Equal("AccountIdRequired", Assert.Single(errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void User_group_needs_the_user_id_and_a_user_owned_token()
    {
        var (_, noUser) = Build([UserDetails], userId: null);
        Assert.Equal("UserIdUnavailable", Assert.Single(noUser).FullyQualifiedErrorId);

        var (policies, onAccount) = Build([UserDetails, WorkersRead], owner: CfTokenScope.Account);
        Assert.Empty(policies); // one refused group means no policies at all, never a partial token
        Assert.Equal("PermissionGroupScopeMismatch", Assert.Single(onAccount).FullyQualifiedErrorId);
    }

    [Fact]
    public void R2_bucket_groups_are_refused_with_the_account_alternative()
    {
        var (_, errors) = Build([R2Bucket]);
        var error = Assert.Single(errors);
        Assert.Equal("PermissionGroupScopeMismatch", error.FullyQualifiedErrorId);
        Assert.Contains("Account:Workers R2 Storage Write", error.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData(new[] { PermissionScopes.Account, PermissionScopes.Zone }, PermissionScopes.Zone)]
    [InlineData(new[] { PermissionScopes.User, PermissionScopes.Account }, PermissionScopes.User)]
    [InlineData(new[] { PermissionScopes.Zone, PermissionScopes.R2Bucket }, PermissionScopes.R2Bucket)]
    [InlineData(new string[0], PermissionScopes.Account)]
    public void The_most_specific_scope_decides_the_resource_kind(string[] scopes, string expected) =>
        Assert.Equal(expected, PolicyBuilder.ResourceKindOf(new CfPermissionGroup("x", "x", scopes)));
}
