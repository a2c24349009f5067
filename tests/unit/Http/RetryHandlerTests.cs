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

    private static (HttpMessageInvoker Client, RateLimitGovernor Governor) Pipeline(HttpMessageHandler wire, RetryOptions? options = null)
    {
        var governor = new RateLimitGovernor(1000, TimeSpan.FromMinutes(5));
        var handler = new RetryHandler(options ?? Options, governor) { InnerHandler = wire };
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

    [Fact]
    public async Task Waiting_for_a_turn_is_not_part_of_the_attempt_timeout()
    {
        var options = new RetryOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetryAfter = TimeSpan.FromSeconds(5) };
        var wire = new ScriptedHandler().Respond(HttpStatusCode.OK);
        var (client, governor) = Pipeline(wire, options);
        governor.BlockUntil(DateTimeOffset.UtcNow.AddMilliseconds(600)); // three timeouts' worth of waiting for the turn
        Assert.Equal(HttpStatusCode.OK, await Send(client, HttpMethod.Post, idempotent: false));
        Assert.Equal(1, wire.Calls);
    }

    [Fact]
    public async Task The_attempt_timeout_still_applies_once_the_request_is_sent()
    {
        var options = new RetryOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromMilliseconds(100) };
        var (client, _) = Pipeline(new HangingHandler(), options);
        await Assert.ThrowsAsync<TimeoutException>(() => Send(client, HttpMethod.Get, idempotent: true));
    }

    [Fact]
    public async Task A_turn_further_away_than_MaxRetryAfter_fails_at_once_without_sending()
    {
        var wire = new ScriptedHandler().Respond(HttpStatusCode.OK);
        var (client, governor) = Pipeline(wire);
        governor.BlockUntil(DateTimeOffset.UtcNow.AddSeconds(120));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RateLimitWaitException>(() => Send(client, HttpMethod.Post, idempotent: false));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.InRange(ex.Wait, TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(120));
        Assert.Equal(0, wire.Calls);
    }

    [Fact]
    public async Task Cancellation_ends_a_wait_for_a_turn()
    {
        var wire = new ScriptedHandler().Respond(HttpStatusCode.OK);
        var (client, governor) = Pipeline(wire);
        governor.BlockUntil(DateTimeOffset.UtcNow.AddSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/client/v4/user/tokens");
        RequestProperties.SetIdempotent(request, true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(0, wire.Calls);
    }

    /// <summary>A wire that never answers until cancelled.</summary>
    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
