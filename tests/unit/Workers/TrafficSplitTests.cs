using System.Collections;
using System.Management.Automation;
using CfManagement.Model;
using CfManagement.Workers;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>The traffic split rules Set-CfWorkerDeployment applies before any request, and how a lone share is completed.</summary>
public class TrafficSplitTests
{
    private const string A = "18f97339-c287-4872-9bdd-e2135c07ec12";
    private const string B = "bcf48806-b317-4351-9ee7-36e7d557d4de";
    private const string C = "0c1d6d5b-0a3c-4b8f-9d5e-7d6a1c2b3e4f";

    private static CfWorkerDeployment Deployed(params (string Id, double Pct)[] versions) =>
        new("api", "d", null, null, "percentage", null, null, null, versions.Select(v => new CfWorkerTraffic(v.Id, v.Pct)).ToList(), true);

    private static IReadOnlyList<CfWorkerTraffic> Resolved(TrafficSplit? split, CfWorkerDeployment? current = null)
    {
        Assert.NotNull(split);
        var result = split!.Resolve(current, "api", out var error);
        Assert.Null(error);
        return result!;
    }

    [Fact]
    public void One_version_defaults_to_all_traffic_and_needs_no_current_deployment()
    {
        var errors = new List<ErrorRecord>();
        var split = TrafficSplit.FromVersion(A.ToUpperInvariant(), null, null, errors);
        Assert.Empty(errors);
        Assert.False(split!.NeedsCurrent);
        var only = Assert.Single(Resolved(split));
        Assert.Equal((A, 100.0), (only.VersionId, only.Percentage)); // normalised to lower case
    }

    [Fact]
    public void A_share_with_another_version_gives_it_the_rest_exactly()
    {
        var errors = new List<ErrorRecord>();
        var split = Resolved(TrafficSplit.FromVersion(A, 33.33, B, errors));
        Assert.Empty(errors);
        Assert.Equal([(A, 33.33), (B, 66.67)], split.Select(v => (v.VersionId, v.Percentage)));
    }

    [Fact]
    public void A_lone_share_takes_the_rest_from_the_version_serving_now()
    {
        var errors = new List<ErrorRecord>();
        var split = TrafficSplit.FromVersion(A, 10, null, errors);
        Assert.True(split!.NeedsCurrent);
        Assert.Equal([(A, 10.0), (B, 90.0)], Resolved(split, Deployed((B, 100))).Select(v => (v.VersionId, v.Percentage)));
        // Mid-rollout (A at 10, B at 90) the next step keeps B as the other version.
        Assert.Equal([(A, 50.0), (B, 50.0)], Resolved(TrafficSplit.FromVersion(A, 50, null, errors), Deployed((A, 10), (B, 90))).Select(v => (v.VersionId, v.Percentage)));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(false, "nothing is deployed")]
    [InlineData(true, "current deployment")]
    public void A_lone_share_without_a_single_other_version_is_refused(bool twoOthers, string says)
    {
        var split = TrafficSplit.FromVersion(A, 10, null, new List<ErrorRecord>());
        var result = split!.Resolve(twoOthers ? Deployed((B, 50), (C, 50)) : null, "api", out var error);
        Assert.Null(result);
        Assert.Equal("TrafficSplitUnresolved", error!.FullyQualifiedErrorId);
        Assert.Contains(says, error.ErrorDetails.Message);
        Assert.Contains("-OtherVersionId", error.ErrorDetails.RecommendedAction);
        // Only this version deployed: also nothing to take the rest from.
        Assert.Null(split.Resolve(Deployed((A, 100)), "api", out var alone));
        Assert.NotNull(alone);
    }

    [Theory]
    [InlineData("not-a-guid", 100.0, null, "InvalidVersionId", "VersionId")]
    [InlineData("18f97339c2874872-9bdd-e2135c07ec12", 100.0, null, "InvalidVersionId", "VersionId")]
    [InlineData("{18f97339-c287-4872-9bdd-e2135c07ec12}", 100.0, null, "InvalidVersionId", "VersionId")]
    [InlineData(A, 0.0, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, 0.001, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, 100.5, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, -10.0, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, 10.005, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, double.NaN, null, "InvalidPercentage", "Percentage")]
    [InlineData(A, 50.0, "x", "InvalidVersionId", "OtherVersionId")]
    [InlineData(A, 50.0, A, "InvalidTrafficSplit", "OtherVersionId")]
    [InlineData(A, 100.0, B, "InvalidTrafficSplit", "Percentage")]
    public void Bad_version_splits_are_refused_naming_the_parameter(string id, double percentage, string? other, string errorId, string parameter)
    {
        var errors = new List<ErrorRecord>();
        Assert.Null(TrafficSplit.FromVersion(id, percentage, other, errors));
        var error = Assert.Single(errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-" + parameter, error.ErrorDetails.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails.RecommendedAction));
    }

    [Fact]
    public void A_table_of_one_or_two_versions_summing_to_100_is_taken_as_it_is()
    {
        var errors = new List<ErrorRecord>();
        Assert.Equal([(A, 100.0)], Resolved(TrafficSplit.FromTable(new Hashtable { [A] = 100 }, errors)).Select(v => (v.VersionId, v.Percentage)));
        var two = Resolved(TrafficSplit.FromTable(new Hashtable { [A] = "90", [B] = 10.0 }, errors));
        Assert.Equal([(A, 90.0), (B, 10.0)], two.OrderBy(v => v.VersionId).Select(v => (v.VersionId, v.Percentage)));
        Assert.Equal([(A, 99.99), (B, 0.01)], Resolved(TrafficSplit.FromTable(new Hashtable { [A] = 99.99, [B] = 0.01 }, errors)).OrderBy(v => v.VersionId).Select(v => (v.VersionId, v.Percentage)));
        Assert.Empty(errors);
    }

    public static TheoryData<Hashtable, string> BadTables => new()
    {
        { new Hashtable(), "InvalidTrafficSplit" },
        { new Hashtable { [A] = 50, [B] = 25, [C] = 25 }, "InvalidTrafficSplit" },
        { new Hashtable { [A] = 90, [B] = 20 }, "InvalidTrafficSplit" },
        { new Hashtable { [A] = 90 }, "InvalidTrafficSplit" },
        { new Hashtable { [A] = 50, [A.ToUpperInvariant()] = 50 }, "InvalidTrafficSplit" },
        { new Hashtable { ["v1"] = 100 }, "InvalidVersionId" },
        { new Hashtable { [A] = "lots" }, "InvalidTrafficSplit" },
        { new Hashtable { [A] = 100.001 }, "InvalidPercentage" },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public void Bad_tables_are_refused(Hashtable table, string errorId)
    {
        var errors = new List<ErrorRecord>();
        Assert.Null(TrafficSplit.FromTable(table, errors));
        Assert.Equal(errorId, errors[0].FullyQualifiedErrorId);
        Assert.Contains("-Traffic", errors[0].ErrorDetails.Message);
    }
}
