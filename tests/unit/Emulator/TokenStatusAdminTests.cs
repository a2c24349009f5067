using System.Net;
using System.Text;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>POST /__emulator/tokens/{id}/status: what leak scanning ("revoked (exposed)") or the dashboard does to a token.</summary>
public sealed class TokenStatusAdminTests : EmulatorTestBase
{
    private async Task<HttpStatusCode> SetStatus(string id, string json)
    {
        using var reply = await Http.PostAsync(new Uri(Cf.BaseUri, $"/__emulator/tokens/{id}/status"), new StringContent(json, Encoding.UTF8, "application/json"));
        return reply.StatusCode;
    }

    [Fact]
    public async Task Revoked_exposed_token_fails_calls_with_401_but_verify_and_get_report_the_status()
    {
        var (id, value) = State.AddUserToken(State.AdminUserEmail, "leaked", [State.PermissionGroupId("Zone Read")]);
        AssertOk(await Send("GET", "zones", value));

        Assert.Equal(HttpStatusCode.OK, await SetStatus(id, """{"status":"revoked (exposed)"}"""));

        AssertError(await Send("GET", "zones", value), HttpStatusCode.Unauthorized, 9109);
        var verify = await Send("GET", "user/tokens/verify", value);
        AssertOk(verify);
        Assert.Equal(TokenStatuses.RevokedExposed, verify.Result!["status"]!.GetValue<string>());
        var get = await Send("GET", $"user/tokens/{id}", State.AdminTokenValue);
        Assert.Equal(TokenStatuses.RevokedExposed, get.Result!["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, await SetStatus(id, """{"status":"active"}"""));
        AssertOk(await Send("GET", "zones", value));
    }

    [Fact]
    public async Task Unknown_status_or_token_is_refused_with_400()
    {
        var (id, _) = State.AddUserToken(State.AdminUserEmail, "t", [State.PermissionGroupId("Zone Read")]);
        Assert.Equal(HttpStatusCode.BadRequest, await SetStatus(id, """{"status":"compromised"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await SetStatus("0123456789abcdef0123456789abcdef", """{"status":"disabled"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await SetStatus(id, """{}"""));
        Assert.Equal(TokenStatuses.Active, State.GetToken(id)!.Status);
    }
}
