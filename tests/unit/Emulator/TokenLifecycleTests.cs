using System.Net;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class TokenLifecycleTests : EmulatorTestBase
{
    [Fact]
    public async Task Create_get_update_roll_delete_user_token()
    {
        var body = TokenBody("deploy-bot", [Id("DNS Write"), Id("Zone Read")], AllZones,
            new JsonObject { ["expires_on"] = "2099-01-01T00:00:00Z", ["condition"] = new JsonObject { ["request_ip"] = new JsonObject { ["in"] = new JsonArray("127.0.0.1/32", "::1") } } });
        var created = await Send("POST", "user/tokens", State.AdminTokenValue, body);
        AssertOk(created);
        var id = created.Result!["id"]!.GetValue<string>();
        var value = created.Result!["value"]!.GetValue<string>();
        Assert.Matches("^cfut_[A-Za-z0-9_-]{40}$", value);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("2099-01-01T00:00:00Z", created.Result!["expires_on"]!.GetValue<string>());
        Assert.Equal("active", created.Result!["status"]!.GetValue<string>());
        Assert.Equal("DNS Write", created.Result!["policies"]![0]!["permission_groups"]![0]!["name"]!.GetValue<string>());

        var got = await Send("GET", $"user/tokens/{id}", State.AdminTokenValue);
        AssertOk(got);
        Assert.Null(got.Result!["value"]);
        Assert.Equal("deploy-bot", got.Result!["name"]!.GetValue<string>());

        var update = TokenBody("deploy-bot-2", [Id("DNS Read")], AllZones, new JsonObject { ["status"] = "disabled" });
        var updated = await Send("PUT", $"user/tokens/{id}", State.AdminTokenValue, update);
        AssertOk(updated);
        Assert.Equal("deploy-bot-2", updated.Result!["name"]!.GetValue<string>());
        Assert.Equal("disabled", updated.Result!["status"]!.GetValue<string>());
        Assert.Null(updated.Result!["expires_on"]);
        Assert.Null(updated.Result!["condition"]);
        Assert.Equal([Id("DNS Read")], State.GetToken(id)!.AllowedGroupIds);
        Assert.False(State.IsValueLive(value));

        AssertOk(await Send("PUT", $"user/tokens/{id}", State.AdminTokenValue, TokenBody("deploy-bot-2", [Id("DNS Read")], AllZones, new JsonObject { ["status"] = "active" })));
        var rolled = await Send("PUT", $"user/tokens/{id}/value", State.AdminTokenValue, "{}");
        AssertOk(rolled);
        var newValue = rolled.Result!.GetValue<string>();
        Assert.NotEqual(value, newValue);
        Assert.False(State.IsValueLive(value));
        Assert.True(State.IsValueLive(newValue));
        AssertError(await Send("GET", "user/tokens/verify", value), HttpStatusCode.Unauthorized, 9109);
        AssertOk(await Send("GET", "user/tokens/verify", newValue));
        Assert.Equal([Id("DNS Read")], State.GetToken(id)!.AllowedGroupIds);

        var deleted = await Send("DELETE", $"user/tokens/{id}", State.AdminTokenValue);
        AssertOk(deleted);
        Assert.Equal(id, deleted.Result!["id"]!.GetValue<string>());
        Assert.Null(State.GetToken(id));
        AssertError(await Send("GET", "user/tokens/verify", newValue), HttpStatusCode.Unauthorized, 9109);
        AssertError(await Send("GET", $"user/tokens/{id}", State.AdminTokenValue), HttpStatusCode.NotFound, 1003);
    }

    [Fact]
    public async Task Rolling_the_caller_kills_the_old_value_at_once()
    {
        var rolled = await Send("PUT", $"user/tokens/{State.AdminTokenId}/value", State.AdminTokenValue, "{}");
        AssertOk(rolled);
        AssertError(await Send("GET", "user/tokens", State.AdminTokenValue), HttpStatusCode.Unauthorized, 9109);
        AssertOk(await Send("GET", "user/tokens", rolled.Result!.GetValue<string>()));
    }

    [Fact]
    public async Task Rolling_a_legacy_token_moves_it_to_the_prefixed_format()
    {
        Assert.DoesNotContain("_", State.Seed.LegacyTokenValue[..5]);
        AssertOk(await Send("GET", "user/tokens/verify", State.Seed.LegacyTokenValue));
        var rolled = await Send("PUT", $"user/tokens/{State.Seed.LegacyTokenId}/value", State.AdminTokenValue, "{}");
        Assert.StartsWith("cfut_", rolled.Result!.GetValue<string>());
        Assert.False(State.GetToken(State.Seed.LegacyTokenId)!.IsLegacyFormat);
    }

    [Fact]
    public async Task Account_token_crud_through_the_account_endpoints()
    {
        var created = await Send("POST", $"accounts/{AccountId}/tokens", State.AccountTokenValue,
            TokenBody("acct-worker", [Id("Account API Tokens Read")], AccountResource));
        AssertOk(created);
        var value = created.Result!["value"]!.GetValue<string>();
        Assert.StartsWith("cfat_", value);
        var id = created.Result!["id"]!.GetValue<string>();
        Assert.Equal(TokenOwnerKind.Account, State.GetToken(id)!.OwnerKind);
        var verify = await Send("GET", $"accounts/{AccountId}/tokens/verify", value);
        AssertOk(verify);
        var rolled = await Send("PUT", $"accounts/{AccountId}/tokens/{id}/value", State.AccountTokenValue, "{}");
        Assert.StartsWith("cfat_", rolled.Result!.GetValue<string>());
        AssertError(await Send("GET", $"accounts/{AccountId}/tokens/verify", value), HttpStatusCode.Unauthorized, 9109);
        AssertOk(await Send("DELETE", $"accounts/{AccountId}/tokens/{id}", State.AccountTokenValue));
        AssertError(await Send("GET", $"accounts/{AccountId}/tokens/{id}", State.AccountTokenValue), HttpStatusCode.NotFound, 1003);
    }

    [Fact]
    public async Task User_scoped_group_on_account_token_is_rejected()
    {
        var reply = await Send("POST", $"accounts/{AccountId}/tokens", State.AdminTokenValue,
            TokenBody("bad", [Id("API Tokens Read")], new Dictionary<string, string> { ["com.cloudflare.api.user." + State.AdminUserId] = "*" }));
        AssertError(reply, HttpStatusCode.BadRequest, 1113);
    }

    [Fact]
    public async Task Reset_restores_the_seed()
    {
        State.AddUserToken(State.AdminUserEmail, "extra", [Id("DNS Read")]);
        AssertOk(await Send("DELETE", $"user/tokens/{State.Seed.WorkersTokenId}", State.AdminTokenValue));
        var before = State.AllTokens.Count;
        State.Reset();
        Assert.Equal(before, State.AllTokens.Count); // one added, one deleted
        Assert.NotNull(State.GetToken(State.Seed.WorkersTokenId));
        Assert.DoesNotContain(State.AllTokens, t => t.Name == "extra");
        Assert.True(State.IsValueLive(State.AdminTokenValue));
    }
}
