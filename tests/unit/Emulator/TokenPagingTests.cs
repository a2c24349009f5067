using System.Net;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class TokenPagingTests : EmulatorTestBase
{
    private int SeedTo120()
    {
        var existing = State.AllTokens.Count(t => t.OwnerUserId == State.AdminUserId);
        for (var i = existing; i < 120; i++)
            State.AddUserToken(State.AdminUserEmail, $"bulk-{i:D3}", [Id("DNS Read")]);
        return 120;
    }

    [Fact]
    public async Task Pages_through_120_tokens()
    {
        var total = SeedTo120();
        var first = await Send("GET", "user/tokens", State.AdminTokenValue);
        AssertOk(first);
        Assert.Equal(20, first.Result!.AsArray().Count);
        var info = first.Json["result_info"]!;
        Assert.Equal(1, info["page"]!.GetValue<int>());
        Assert.Equal(20, info["per_page"]!.GetValue<int>());
        Assert.Equal(20, info["count"]!.GetValue<int>());
        Assert.Equal(total, info["total_count"]!.GetValue<int>());
        Assert.Equal(6, info["total_pages"]!.GetValue<int>());

        var ids = new HashSet<string>();
        for (var page = 1; page <= 3; page++)
        {
            var reply = await Send("GET", $"user/tokens?page={page}&per_page=50", State.AdminTokenValue);
            AssertOk(reply);
            Assert.Equal(3, reply.Json["result_info"]!["total_pages"]!.GetValue<int>());
            foreach (var t in reply.Result!.AsArray())
                Assert.True(ids.Add(t!["id"]!.GetValue<string>()));
        }
        Assert.Equal(total, ids.Count);
        var beyond = await Send("GET", "user/tokens?page=4&per_page=50", State.AdminTokenValue);
        Assert.Empty(beyond.Result!.AsArray());
    }

    [Fact]
    public async Task Per_page_above_50_is_clamped()
    {
        SeedTo120();
        var reply = await Send("GET", "user/tokens?per_page=500", State.AdminTokenValue);
        AssertOk(reply);
        Assert.Equal(50, reply.Result!.AsArray().Count);
        Assert.Equal(50, reply.Json["result_info"]!["per_page"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("per_page=0")]
    [InlineData("per_page=-5")]
    [InlineData("per_page=abc")]
    [InlineData("page=0")]
    [InlineData("page=1.5")]
    [InlineData("direction=up")]
    public async Task Bad_paging_parameters_are_400(string query)
    {
        AssertError(await Send("GET", "user/tokens?" + query, State.AdminTokenValue), HttpStatusCode.BadRequest, 1115);
    }

    [Fact]
    public async Task Direction_desc_reverses()
    {
        var asc = await Send("GET", "user/tokens?per_page=50", State.AdminTokenValue);
        var desc = await Send("GET", "user/tokens?per_page=50&direction=desc", State.AdminTokenValue);
        var a = asc.Result!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        var d = desc.Result!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        a.Reverse();
        Assert.Equal(a, d);
    }

    [Fact]
    public async Task Account_list_hides_expired_unless_asked()
    {
        var without = await Send("GET", $"accounts/{AccountId}/tokens", State.AccountTokenValue);
        AssertOk(without);
        Assert.DoesNotContain(without.Result!.AsArray(), t => t!["id"]!.GetValue<string>() == State.Seed.ExpiredAccountTokenId);
        var with = await Send("GET", $"accounts/{AccountId}/tokens?include_expired=true", State.AccountTokenValue);
        Assert.Contains(with.Result!.AsArray(), t => t!["id"]!.GetValue<string>() == State.Seed.ExpiredAccountTokenId);
    }

    [Fact]
    public async Task Seeding_600_tokens_is_fast()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 600; i++)
            State.AddAccountToken(State.AdminUserEmail, $"bulk-{i}", [Id("Workers Scripts Read")]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
        var reply = await Send("GET", $"accounts/{AccountId}/tokens?per_page=50&page=13", State.AccountTokenValue);
        AssertOk(reply);
        Assert.True(reply.Json["result_info"]!["total_count"]!.GetValue<int>() >= 600);
    }
}
