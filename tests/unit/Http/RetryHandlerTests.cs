using System.Net;
using CfManagement.Http;
using Xunit;

namespace CfManagement.Tests.Http;

/// <summary>The retry handler over a scripted wire: how many attempts each kind of answer gets.</summary>
public class RetryHandlerTests
{
    private static readonly RetryOptions Options = new()
    {
        MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), MaxRetryAfter = TimeSpan.FromSeconds(60),
    };

    private static (HttpMessageInvoker Client, RateLimitGovernor Governor) Pipeline(ScriptedHandler wire)
    {
        var governor = new RateLimitGovernor(1000, TimeSpan.FromMinutes(5));
        var handler = new RetryHandler(Options, governor) { InnerHandler = new RateLimitGovernorHandler(governor) { InnerHandler = wire } };
        return (new HttpMessageInvoker(handler), governor);
    }

    private static async Task<HttpStatusCode> Send(HttpMessageInvoker client, HttpMethod method, bool idempotent)
    {
        using var request = new HttpRequestMessage(method, "https://api.example/client/v4/user/tokens");
        RequestProperties.SetIdempotent(request, idempotent);
        using var response = await client.SendAsync(request, CancellationToken.None);
        return response.StatusCode;
    }

    [Fact]
    public async Task Idempotent_call_rides_out_transient_5xx()
    {
        var wire = new ScriptedHandler().Respond(HttpStatusCode.BadGateway, times: 2).Respond(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await Send(Pipeline(wire).Client, HttpMethod.Get, idempotent: true));
        Assert.Equal(3, wire.Calls);
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetries_and_the_last_answer_is_given_back()
    {
        var wire = new ScriptedHandler().Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Send(Pipeline(wire).Client, HttpMethod.Get, idempotent: true));
        Assert.Equal(3, wire.Calls);
    }

    [Fact]
    public async Task A_5xx_on_a_non_idempotent_call_is_not_retried()
    {
        var wire = new ScriptedHandler().Respond(HttpStatusCode.InternalServerError).Respond(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.InternalServerError, await Send(Pipeline(wire).Client, HttpMethod.Post, idempotent: false));
        Assert.Equal(1, wire.Calls);
    }

    [Fact]
    public async Task A_lost_connection_is_retried_only_when_idempotent()
    {
        var get = new ScriptedHandler().Fail().Respond(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await Send(Pipeline(get).Client, HttpMethod.Get, idempotent: true));
        Assert.Equal(2, get.Calls);

        var put = new ScriptedHandler().Fail().Respond(HttpStatusCode.OK);
        await Assert.ThrowsAsync<HttpRequestException>(() => Send(Pipeline(put).Client, HttpMethod.Put, idempotent: false));
        Assert.Equal(1, put.Calls);
    }

    [Fact]
    public async Task A_429_is_retried_even_for_a_create_because_Cloudflare_did_not_process_it()
    {
        var wire = new ScriptedHandler().Respond((HttpStatusCode)429, retryAfter: TimeSpan.Zero).Respond(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await Send(Pipeline(wire).Client, HttpMethod.Post, idempotent: false));
        Assert.Equal(2, wire.Calls);
    }

    [Fact]
    public async Task Retry_after_beyond_the_longest_wait_is_given_back_at_once_and_holds_the_session()
    {
        var wire = new ScriptedHandler().Respond((HttpStatusCode)429, retryAfter: TimeSpan.FromSeconds(120)).Respond(HttpStatusCode.OK);
        var (client, governor) = Pipeline(wire);
        Assert.Equal((HttpStatusCode)429, await Send(client, HttpMethod.Get, idempotent: true));
        Assert.Equal(1, wire.Calls);
        // The governor now holds every request of the session for the rest of the 120 s.
        Assert.InRange(governor.TryTakeTurn(), TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(120));
    }
}
