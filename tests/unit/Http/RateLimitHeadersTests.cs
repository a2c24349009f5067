using CfManagement.Http;
using Xunit;

namespace CfManagement.Tests.Http;

/// <summary>The rate-limit headers, read leniently: Cloudflare's draft form, several items, the older form, garbage.</summary>
public class RateLimitHeadersTests
{
    private static RateLimitInfo? Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return RateLimitHeaders.Read(response);
    }

    [Fact]
    public void Cloudflares_form_gives_remaining_reset_and_policy()
    {
        var info = Read(("Ratelimit", "\"default\";r=50;t=30"), ("Ratelimit-Policy", "\"burst\";q=100;w=60"))!;
        Assert.Equal(50, info.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(30), info.Reset);
        var policy = Assert.Single(info.Policies);
        Assert.Equal(100, policy.Quota);
        Assert.Equal(TimeSpan.FromSeconds(60), policy.Window);
    }

    [Fact]
    public void Several_items_the_tightest_remaining_counts_and_every_policy_is_kept()
    {
        var info = Read(("RateLimit", "\"burst\";r=40;t=5, \"default\";r=3;t=200"),
                        ("RateLimit-Policy", "\"burst\";q=100;w=60, \"default\";q=1200;w=300"))!;
        Assert.Equal(3, info.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(200), info.Reset);
        Assert.Equal(2, info.Policies.Count);
    }

    [Fact]
    public void The_older_drafts_are_read_too()
    {
        var separate = Read(("RateLimit-Limit", "100, 100;w=60"), ("RateLimit-Remaining", "7"), ("RateLimit-Reset", "12"))!;
        Assert.Equal(7, separate.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(12), separate.Reset);
        Assert.Equal(100, Assert.Single(separate.Policies).Quota);

        var combined = Read(("RateLimit", "limit=100, remaining=0, reset=9"))!;
        Assert.Equal(0, combined.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(9), combined.Reset);
    }

    [Fact]
    public void Nothing_or_garbage_says_nothing()
    {
        Assert.Null(Read());
        Assert.Null(Read(("Ratelimit", "soon"), ("Ratelimit-Policy", "\"x\";q=-1;w=abc")));
        var partial = Read(("Ratelimit", "\"default\";r=5"))!; // no t: remaining without a reset time
        Assert.Equal(5, partial.Remaining);
        Assert.Null(partial.Reset);
    }
}
