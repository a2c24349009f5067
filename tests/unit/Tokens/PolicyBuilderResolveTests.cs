using CfManagement.Tokens;
using Xunit;
using static CfManagement.Tests.Tokens.Catalogue;

namespace CfManagement.Tests.Tokens;

/// <summary>Names, qualified names and ids to catalogue groups, every problem reported at once.</summary>
public class PolicyBuilderResolveTests
{
    private static readonly PolicyBuilder Builder = new(All);

    [Fact]
    public void Names_resolve_case_insensitively_trimmed_and_deduplicated_in_order()
    {
        var (groups, errors) = Builder.Resolve(["  dns write ", "Workers Scripts Read", DnsWrite.Id], "PermissionGroup");
        Assert.Empty(errors);
        Assert.Equal([DnsWrite.Id, WorkersRead.Id], groups.Select(g => g.Id));
    }

    [Fact]
    public void A_name_in_two_scopes_is_ambiguous_until_qualified()
    {
        var (_, errors) = Builder.Resolve(["Analytics Read"], "PermissionGroup");
        Assert.Equal("PermissionGroupAmbiguous", Assert.Single(errors).FullyQualifiedErrorId);

        var (zone, none) = Builder.Resolve(["Zone:Analytics Read"], "PermissionGroup");
        Assert.Empty(none);
        Assert.Equal(AnalyticsZone.Id, Assert.Single(zone).Id);
        var (account, _) = Builder.Resolve(["account: Analytics Read"], "PermissionGroup");
        Assert.Equal(AnalyticsAccount.Id, Assert.Single(account).Id);
    }

    [Fact]
    public void Every_unknown_name_is_reported_with_suggestions_and_the_parameter_name()
    {
        var (groups, errors) = Builder.Resolve(["DNS Wirte", "DNS Write", "Nothing Like It At All"], "AddPermissionGroup");
        Assert.Equal([DnsWrite.Id], groups.Select(g => g.Id));
        Assert.Equal(["PermissionGroupNotFound", "PermissionGroupNotFound"], errors.Select(e => e.FullyQualifiedErrorId));
        Assert.StartsWith("-AddPermissionGroup: no permission group named 'DNS Wirte'", errors[0].ErrorDetails.Message);
        Assert.Contains("Did you mean: 'DNS Write'", errors[0].ErrorDetails.Message);
        Assert.DoesNotContain("Did you mean", errors[1].ErrorDetails.Message);
    }

    [Fact]
    public void An_unknown_scope_prefix_is_part_of_the_name_and_an_unknown_id_is_not_found()
    {
        var (_, errors) = Builder.Resolve(["Bogus:DNS Write", "99999999999999999999999999999999"], "PermissionGroup");
        Assert.Equal(2, errors.Count);
        Assert.Contains("'Bogus:DNS Write'", errors[0].ErrorDetails.Message);
        Assert.All(errors, e => Assert.Equal("PermissionGroupNotFound", e.FullyQualifiedErrorId));
    }
}
