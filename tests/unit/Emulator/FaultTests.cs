using System.Diagnostics;
using System.Net;
using System.Text;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class FaultTests : EmulatorTestBase
{
    [Fact]
    public async Task Status_fault_answers_with_an_envelope_then_wears_off()
    {
        var rule = Cf.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathContains = "/user/tokens", Method = "GET", Times = 2 });
        AssertError(await Send("GET", "user/tokens", State.AdminTokenValue), HttpStatusCode.ServiceUnavailable, 10013);
        AssertOk(await Send("POST", "user/tokens", State.AdminTokenValue, TokenBody("x", [Id("DNS Read")], AllZones))); // method does not match
        AssertError(await Send("GET", "user/tokens", State.AdminTokenValue), HttpStatusCode.ServiceUnavailable, 10013);
        AssertOk(await Send("GET", "user/tokens", State.AdminTokenValue));
        Assert.Equal(2, rule.Hits);
    }

    [Fact]
    public async Task RateLimit_fault_is_429_with_retry_after()
    {
        Cf.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 7 });
        var reply = await Send("GET", "user/tokens/verify", State.AdminTokenValue);
        AssertError(reply, HttpStatusCode.TooManyRequests, 971);
        Assert.Equal(TimeSpan.FromSeconds(7), reply.Raw.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Reset_fault_aborts_the_connection()
    {
        Cf.Faults.Add(new FaultRule { Kind = FaultKind.Reset, Times = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => Send("GET", "user/tokens/verify", State.AdminTokenValue));
        AssertOk(await Send("GET", "user/tokens/verify", State.AdminTokenValue));
    }

    [Fact]
    public async Task Latency_fault_delays_then_serves()
    {
        Cf.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromMilliseconds(400), Times = -1 });
        var watch = Stopwatch.StartNew();
        AssertOk(await Send("GET", "user/tokens/verify", State.AdminTokenValue));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), watch.Elapsed.ToString());
        Cf.Faults.Clear();
        Assert.Empty(Cf.Faults.Rules);
    }

    [Fact]
    public async Task Admin_endpoints_add_faults_reset_and_list_requests()
    {
        var admin = new Uri(Cf.BaseUri, "/__emulator/");
        using var add = await Http.PostAsync(new Uri(admin, "faults"),
            new StringContent("""{"kind":"Status","statusCode":500,"times":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        AssertError(await Send("GET", "user/tokens/verify", State.AdminTokenValue), HttpStatusCode.InternalServerError, 10013);

        Cf.Faults.Add(new FaultRule { Kind = FaultKind.Status, Times = -1 });
        using var clear = await Http.DeleteAsync(new Uri(admin, "faults"));
        AssertOk(await Send("GET", "user/tokens/verify", State.AdminTokenValue));

        var requests = await Http.GetStringAsync(new Uri(admin, "requests"));
        Assert.Contains("/client/v4/user/tokens/verify", requests);
        Assert.DoesNotContain(State.AdminTokenValue, requests);

        AssertOk(await Send("DELETE", $"user/tokens/{State.Seed.WorkersTokenId}", State.AdminTokenValue));
        using var reset = await Http.PostAsync(new Uri(admin, "reset"), null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.NotNull(State.GetToken(State.Seed.WorkersTokenId));
        Assert.Empty(Cf.Requests);
    }

    [Fact]
    public async Task Admin_endpoint_makes_a_token_for_another_user()
    {
        var admin = new Uri(Cf.BaseUri, "/__emulator/");
        using var made = await Http.PostAsync(new Uri(admin, "tokens"), new StringContent(
            """{"name":"ops-reader","userEmail":"ops@example.com","permissionGroups":["API Tokens Read","com.cloudflare.api.account.zone:DNS Read"]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var result = System.Text.Json.Nodes.JsonNode.Parse(await made.Content.ReadAsStringAsync())!["result"]!;
        var id = result["id"]!.GetValue<string>();
        var value = result["value"]!.GetValue<string>();
        Assert.Equal("ops-reader", State.GetToken(id)!.Name);
        Assert.True(State.IsValueLive(value));
        // It belongs to ops@example.com: the admin cannot see it; it can read itself.
        AssertError(await Send("GET", $"user/tokens/{id}", State.AdminTokenValue), HttpStatusCode.NotFound, 1003);
        AssertOk(await Send("GET", $"user/tokens/{id}", value));

        using var bad = await Http.PostAsync(new Uri(admin, "tokens"), new StringContent(
            """{"name":"x","permissionGroups":["No Such Group"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
