using System.Net;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class TokenVisibilityTests : EmulatorTestBase
{
    private (string Id, string Value) OpsTokenManager() =>
        State.AddUserToken(State.Seed.OpsUserEmail, "ops-manager",
            [Id("API Tokens Read"), Id("API Tokens Write"), Id("Account API Tokens Read"), Id("Account API Tokens Write")]);

    private static List<string> Ids(Reply reply) => reply.Result!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Ops_user_cannot_see_or_edit_admins_tokens()
    {
        var (opsId, ops) = OpsTokenManager();
        var list = await Send("GET", "user/tokens?per_page=50", ops);
        AssertOk(list);
        Assert.Contains(opsId, Ids(list));
        Assert.Contains(State.OpsTokenId, Ids(list));
        Assert.DoesNotContain(State.AdminTokenId, Ids(list));
        AssertError(await Send("GET", $"user/tokens/{State.AdminTokenId}", ops), HttpStatusCode.NotFound, 1003);
        AssertError(await Send("DELETE", $"user/tokens/{State.AdminTokenId}", ops), HttpStatusCode.NotFound, 1003);
        AssertError(await Send("PUT", $"user/tokens/{State.AdminTokenId}/value", ops, "{}"), HttpStatusCode.NotFound, 1003);
        var admin = await Send("GET", "user/tokens?per_page=50", State.AdminTokenValue);
        Assert.DoesNotContain(State.OpsTokenId, Ids(admin));
    }

    [Fact]
    public async Task Invisible_token_is_404_before_the_permission_check()
    {
        // ops-dns lacks API Tokens Read: its own token is 403, another user's token does not exist for it.
        AssertError(await Send("GET", $"user/tokens/{State.OpsTokenId}", State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("GET", $"user/tokens/{State.AdminTokenId}", State.OpsTokenValue), HttpStatusCode.NotFound, 1003);
        AssertError(await Send("GET", "user/tokens", State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
    }

    [Fact]
    public async Task Super_admin_and_account_tokens_see_all_account_tokens()
    {
        var expected = new[] { State.AccountTokenId, State.Seed.OpsAccountTokenId, State.Seed.DashboardAccountTokenId };
        foreach (var caller in new[] { State.AdminTokenValue, State.AccountTokenValue })
        {
            var list = await Send("GET", $"accounts/{AccountId}/tokens?per_page=50", caller);
            AssertOk(list);
            Assert.All(expected, id => Assert.Contains(id, Ids(list)));
        }
    }

    [Fact]
    public async Task Non_super_admin_sees_only_account_tokens_it_created()
    {
        var (_, ops) = OpsTokenManager();
        var list = await Send("GET", $"accounts/{AccountId}/tokens?per_page=50", ops);
        AssertOk(list);
        Assert.Equal([State.Seed.OpsAccountTokenId], Ids(list));
        AssertError(await Send("GET", $"accounts/{AccountId}/tokens/{State.Seed.DashboardAccountTokenId}", ops), HttpStatusCode.NotFound, 1003);

        var created = await Send("POST", $"accounts/{AccountId}/tokens", ops, TokenBody("ops-new", [Id("D1 Read")], AccountResource));
        AssertOk(created);
        var after = await Send("GET", $"accounts/{AccountId}/tokens?per_page=50", ops);
        Assert.Equal(2, after.Result!.AsArray().Count);
    }

    [Fact]
    public async Task User_tokens_are_never_listed_under_the_account()
    {
        var list = await Send("GET", $"accounts/{AccountId}/tokens?per_page=50", State.AdminTokenValue);
        Assert.DoesNotContain(State.AdminTokenId, Ids(list));
        AssertError(await Send("GET", $"accounts/{AccountId}/tokens/{State.AdminTokenId}", State.AdminTokenValue), HttpStatusCode.NotFound, 1003);
    }

    [Fact]
    public async Task Zones_are_visible_per_zone_permission()
    {
        var ops = await Send("GET", "zones", State.OpsTokenValue);
        AssertOk(ops);
        Assert.Equal(["getraxx.com"], ops.Result!.AsArray().Select(z => z!["name"]!.GetValue<string>()));
        AssertError(await Send("GET", "zones/f12dbb5cac57d5591a5058874498a6d1", State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        var admin = await Send("GET", "zones?name=raxx.app", State.AdminTokenValue);
        Assert.Equal("f12dbb5cac57d5591a5058874498a6d1", Assert.Single(admin.Result!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(4, (await Send("GET", $"zones?account.id={AccountId}", State.AdminTokenValue)).Result!.AsArray().Count);
        AssertError(await Send("GET", "zones/" + new string('c', 32), State.AdminTokenValue), HttpStatusCode.BadRequest, 7003);
    }
}
