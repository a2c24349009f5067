using System.Net;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class QuotaAndGrantTests : EmulatorTestBase
{
    protected override EmulatorOptions Options => new() { UserTokenQuota = 8, AccountTokenQuota = 6 };

    [Fact]
    public async Task User_quota_is_enforced_on_create_only()
    {
        var existing = State.AllTokens.Count(t => t.OwnerUserId == State.AdminUserId);
        for (var i = existing; i < 8; i++)
            AssertOk(await Send("POST", "user/tokens", State.AdminTokenValue, TokenBody($"t{i}", [Id("DNS Read")], AllZones)));
        var over = await Send("POST", "user/tokens", State.AdminTokenValue, TokenBody("one-too-many", [Id("DNS Read")], AllZones));
        AssertError(over, HttpStatusCode.BadRequest, 1114);
        Assert.Contains("exceeded maximum number of tokens", over.ErrorMessage);
        State.AddUserToken(State.AdminUserEmail, "seeded-beyond-quota", [Id("DNS Read")]); // fixtures bypass quotas
    }

    [Fact]
    public async Task Account_quota_is_enforced()
    {
        var existing = State.AllTokens.Count(t => t.OwnerKind == TokenOwnerKind.Account);
        for (var i = existing; i < 6; i++)
            AssertOk(await Send("POST", $"accounts/{AccountId}/tokens", State.AccountTokenValue, TokenBody($"a{i}", [Id("Account API Tokens Read")], AccountResource)));
        AssertError(await Send("POST", $"accounts/{AccountId}/tokens", State.AccountTokenValue, TokenBody("x", [Id("Account API Tokens Read")], AccountResource)), HttpStatusCode.BadRequest, 1114);
    }

    [Fact]
    public async Task Non_super_admin_silently_loses_what_it_cannot_grant()
    {
        var (_, ops) = State.AddUserToken(State.Seed.OpsUserEmail, "ops-manager", [Id("API Tokens Write")]);
        var created = await Send("POST", "user/tokens", ops, TokenBody("wants-too-much", [Id("DNS Write"), Id("Zone WAF Write")], AllZones));
        AssertOk(created);
        var id = created.Result!["id"]!.GetValue<string>();
        Assert.Equal([Id("DNS Write")], State.GetToken(id)!.AllowedGroupIds);

        var nothing = await Send("POST", "user/tokens", ops, TokenBody("gets-nothing", [Id("Bot Management Write")], AllZones));
        AssertOk(nothing);
        Assert.Empty(nothing.Result!["policies"]!.AsArray());
    }

    [Fact]
    public async Task Account_token_grants_only_groups_it_holds()
    {
        var created = await Send("POST", $"accounts/{AccountId}/tokens", State.AccountTokenValue,
            TokenBody("child", [Id("Account API Tokens Read"), Id("D1 Write")], AccountResource));
        AssertOk(created);
        Assert.Equal([Id("Account API Tokens Read")], State.GetToken(created.Result!["id"]!.GetValue<string>())!.AllowedGroupIds);
    }

    [Fact]
    public async Task Super_admin_grants_anything()
    {
        var created = await Send("POST", "user/tokens", State.AdminTokenValue, TokenBody("all", [Id("Bot Management Write"), Id("SSL and Certificates Write")], AllZones));
        AssertOk(created);
        Assert.Equal(2, State.GetToken(created.Result!["id"]!.GetValue<string>())!.AllowedGroupIds.Count);
    }
}
