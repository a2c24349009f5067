using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class EnvelopeAndAuthTests : EmulatorTestBase
{
    [Fact]
    public async Task Success_envelope_has_every_field()
    {
        var reply = await Send("GET", "user/tokens/verify", State.AdminTokenValue);
        AssertOk(reply);
        Assert.Empty(reply.Json["errors"]!.AsArray());
        Assert.Equal(10000, reply.Json["messages"]![0]!["code"]!.GetValue<int>());
        Assert.Equal("This API Token is valid and active", reply.Json["messages"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(State.AdminTokenId, reply.Result!["id"]!.GetValue<string>());
        Assert.Equal("active", reply.Result!["status"]!.GetValue<string>());
        Assert.EndsWith("/client/v4/", Cf.BaseUri.ToString());
        Assert.StartsWith("http://127.0.0.1:", Cf.BaseUri.ToString());
    }

    [Fact]
    public async Task Missing_credentials_is_9106()
    {
        var reply = await Send("GET", "user/tokens", token: null);
        AssertError(reply, HttpStatusCode.BadRequest, 9106);
        Assert.Equal("Missing X-Auth-Key, X-Auth-Email or Authorization headers", reply.ErrorMessage);
    }

    [Theory]
    [InlineData("Basic abc")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer two words")]
    [InlineData("Token cfut_abc")]
    public async Task Malformed_authorization_is_6003_with_6111_chain(string header)
    {
        var reply = await SendRaw("GET", "user/tokens", null, r => r.Headers.TryAddWithoutValidation("Authorization", header));
        AssertError(reply, HttpStatusCode.BadRequest, 6003);
        Assert.Equal("Invalid request headers", reply.ErrorMessage);
        Assert.Equal(6111, reply.Json["errors"]![0]!["error_chain"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Token_sent_as_X_Auth_Key_is_6003_with_6103_chain()
    {
        var reply = await SendRaw("GET", "user/tokens", null, r =>
        {
            r.Headers.Add("X-Auth-Key", State.AdminTokenValue);
            r.Headers.Add("X-Auth-Email", State.AdminUserEmail);
        });
        AssertError(reply, HttpStatusCode.BadRequest, 6003);
        Assert.Equal(6103, reply.Json["errors"]![0]!["error_chain"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_disabled_and_expired_tokens_are_9109()
    {
        AssertError(await Send("GET", "user/tokens", "cfut_" + new string('q', 40)), HttpStatusCode.Unauthorized, 9109);
        AssertError(await Send("GET", "user/tokens", State.Seed.DisabledUserTokenValue), HttpStatusCode.Unauthorized, 9109);
        AssertError(await Send("GET", "user/tokens", State.Seed.ExpiredUserTokenValue), HttpStatusCode.Unauthorized, 9109);
        var (_, future) = State.AddUserToken(State.AdminUserEmail, "later", State.AdminTokenPermissionGroupIds, notBefore: DateTimeOffset.UtcNow.AddDays(1));
        var reply = await Send("GET", "user/tokens", future);
        AssertError(reply, HttpStatusCode.Unauthorized, 9109);
        Assert.Equal("Invalid access token", reply.ErrorMessage);
    }

    [Fact]
    public async Task Verify_reports_disabled_and_expired_status_with_200()
    {
        var disabled = await Send("GET", "user/tokens/verify", State.Seed.DisabledUserTokenValue);
        AssertOk(disabled);
        Assert.Equal("disabled", disabled.Result!["status"]!.GetValue<string>());
        var expired = await Send("GET", "user/tokens/verify", State.Seed.ExpiredUserTokenValue);
        AssertOk(expired);
        Assert.Equal("expired", expired.Result!["status"]!.GetValue<string>());
        Assert.NotNull(expired.Result!["expires_on"]);
        AssertError(await Send("GET", "user/tokens/verify", "cfut_" + new string('q', 40)), HttpStatusCode.Unauthorized, 9109);
    }

    [Fact]
    public async Task Account_token_on_user_endpoints_is_10001_and_verifies_on_the_account_endpoint()
    {
        AssertError(await Send("GET", "user/tokens/verify", State.AccountTokenValue), HttpStatusCode.Unauthorized, 10001);
        AssertError(await Send("GET", "user/tokens", State.AccountTokenValue), HttpStatusCode.Unauthorized, 10001);
        AssertError(await Send("GET", "user", State.AccountTokenValue), HttpStatusCode.Unauthorized, 10001);
        var verify = await Send("GET", $"accounts/{AccountId}/tokens/verify", State.AccountTokenValue);
        AssertOk(verify);
        Assert.Equal(State.AccountTokenId, verify.Result!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Account_token_on_accounts_list_is_1001()
    {
        AssertError(await Send("GET", "accounts", State.AccountTokenValue), HttpStatusCode.Forbidden, 1001);
        var user = await Send("GET", "accounts", State.AdminTokenValue);
        AssertOk(user);
        Assert.Equal(AccountId, user.Result![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Account_details_need_some_access_to_the_account()
    {
        AssertOk(await Send("GET", $"accounts/{AccountId}", State.AccountTokenValue));
        AssertOk(await Send("GET", $"accounts/{AccountId}", State.OpsTokenValue)); // DNS Write on one of its zones
        var (_, userOnly) = State.AddUserToken(State.AdminUserEmail, "user-only", [Id("API Tokens Read")]);
        AssertError(await Send("GET", $"accounts/{AccountId}", userOnly), HttpStatusCode.Forbidden, 10000);
        Assert.Empty((await Send("GET", "accounts", userOnly)).Result!.AsArray());
    }

    [Fact]
    public async Task Missing_permission_is_10000()
    {
        var reply = await Send("GET", "user/tokens", State.OpsTokenValue);
        AssertError(reply, HttpStatusCode.Forbidden, 10000);
        Assert.Equal("Authentication error", reply.ErrorMessage);
        AssertError(await Send("GET", "accounts/" + new string('b', 32) + "/tokens", State.AdminTokenValue), HttpStatusCode.Forbidden, 10000);
    }

    [Fact]
    public async Task Routing_errors_7000_7001_7003()
    {
        AssertError(await Send("GET", "nowhere", State.AdminTokenValue), HttpStatusCode.NotFound, 7000);
        AssertError(await Send("PATCH", "user/tokens", State.AdminTokenValue), HttpStatusCode.MethodNotAllowed, 7001);
        var bad = await Send("GET", "user/tokens/not-an-id", State.AdminTokenValue);
        AssertError(bad, HttpStatusCode.BadRequest, 7003);
        Assert.Equal("Could not route to /client/v4/user/tokens/not-an-id, perhaps your object identifier is invalid?", bad.ErrorMessage);
        AssertError(await Send("GET", "user/tokens/" + new string('a', 32), State.AdminTokenValue), HttpStatusCode.NotFound, 1003);
    }

    [Fact]
    public async Task Malformed_json_is_6007()
    {
        AssertError(await Send("POST", "user/tokens", State.AdminTokenValue, "{\"name\":"), HttpStatusCode.BadRequest, 6007);
    }

    [Fact]
    public async Task Ip_condition_mismatch_is_10000()
    {
        var body = TokenBody("ip-bound", [Id("API Tokens Read")], new Dictionary<string, string> { ["com.cloudflare.api.user." + State.AdminUserId] = "*" },
            new() { ["condition"] = new System.Text.Json.Nodes.JsonObject { ["request.ip"] = new System.Text.Json.Nodes.JsonObject { ["not_in"] = new System.Text.Json.Nodes.JsonArray("127.0.0.0/8") } } });
        var created = await Send("POST", "user/tokens", State.AdminTokenValue, body);
        AssertOk(created);
        Assert.Equal("127.0.0.0/8", created.Result!["condition"]!["request_ip"]!["not_in"]![0]!.GetValue<string>());
        AssertError(await Send("GET", "user/tokens", created.Result!["value"]!.GetValue<string>()), HttpStatusCode.Forbidden, 10000);
    }

    [Fact]
    public async Task Requests_are_recorded_without_the_authorization_value()
    {
        await Send("POST", "user/tokens", State.AdminTokenValue, "{\"name\":");
        var recorded = Assert.Single(Cf.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/client/v4/user/tokens", recorded.Path);
        Assert.Equal("{\"name\":", recorded.Body);
        Assert.True(recorded.HasAuthorization);
        Assert.DoesNotContain(State.AdminTokenValue, recorded.ToString());
        Cf.ClearRequests();
        Assert.Empty(Cf.Requests);
    }
}
