using System.Text.Json;
using CfManagement.Tail;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>CLI filters to the tail POST body as wrangler maps them (packages/wrangler/src/tail/filters.ts), and bad values refused.</summary>
public class TailFiltersTests
{
    private static string Json(TailFilters f) => JsonSerializer.Serialize(f.ToApiFilters());

    [Fact]
    public void No_filters_send_an_empty_list() => Assert.Equal("[]", Json(new TailFilters()));

    [Fact]
    public void Error_status_means_every_failing_outcome()
    {
        Assert.Equal("""[{"outcome":["exception","exceededCpu","exceededMemory","unknown"]}]""", Json(new TailFilters { Status = ["error"] }));
        Assert.Equal("""[{"outcome":["ok","canceled"]}]""", Json(new TailFilters { Status = ["OK", "canceled", "ok"] }));
    }

    [Fact]
    public void Every_filter_in_wranglers_order()
    {
        var f = new TailFilters
        {
            SamplingRate = 0.25, Status = ["ok"], Method = ["get", "POST"], Header = " X-Custom : some: value ",
            ClientIp = ["Self", "192.0.2.1", "2001:db8::1"], Search = "catch-this", VersionId = "18f97339-c287-4872-9bdd-e2135c07ec12",
        };
        f.Validate();
        Assert.Equal("""[{"sampling_rate":0.25},{"outcome":["ok"]},{"method":["GET","POST"]},{"header":{"key":"X-Custom","query":"some: value"}},""" +
                     """{"client_ip":["self","192.0.2.1","2001:db8::1"]},{"query":"catch-this"},{"scriptVersion":"18f97339-c287-4872-9bdd-e2135c07ec12"}]""", Json(f));
    }

    [Fact]
    public void A_header_name_alone_matches_any_value() =>
        Assert.Equal("""[{"header":{"key":"X-Seen"}}]""", Json(new TailFilters { Header = "X-Seen" }));

    [Fact]
    public void The_sampling_fallback_keeps_the_other_filters()
    {
        var f = new TailFilters { Method = ["GET"], SamplingRate = 1 }.WithSamplingRate(0.5);
        Assert.Equal("""[{"sampling_rate":0.5},{"method":["GET"]}]""", Json(f));
    }

    public static TheoryData<string, TailFilters> BadFilters => new()
    {
        { "Status", new TailFilters { Status = ["failed"] } },
        { "Status", new TailFilters { Status = ["ok", ""] } },
        { "Method", new TailFilters { Method = [""] } },
        { "Method", new TailFilters { Method = ["GE T"] } },
        { "Method", new TailFilters { Method = ["GET/1"] } },
        { "Header", new TailFilters { Header = "" } },
        { "Header", new TailFilters { Header = ": value" } },
        { "Header", new TailFilters { Header = "Bad Name: v" } },
        { "Header", new TailFilters { Header = "X(y): v" } },
        { "ClientIp", new TailFilters { ClientIp = ["999.1.1.1"] } },
        { "ClientIp", new TailFilters { ClientIp = ["me"] } },
        { "ClientIp", new TailFilters { ClientIp = [""] } },
        { "Search", new TailFilters { Search = "" } },
        { "SamplingRate", new TailFilters { SamplingRate = 0 } },
        { "SamplingRate", new TailFilters { SamplingRate = -0.5 } },
        { "SamplingRate", new TailFilters { SamplingRate = 1.5 } },
        { "SamplingRate", new TailFilters { SamplingRate = double.NaN } },
        { "VersionId", new TailFilters { VersionId = "latest" } },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public void Bad_values_name_the_parameter(string parameter, TailFilters filters)
    {
        var ex = Assert.Throws<TailFilterException>(filters.Validate);
        Assert.Equal(parameter, ex.ParameterName);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
