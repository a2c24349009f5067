using CfManagement.Http;
using Xunit;

namespace CfManagement.Tests.Http;

/// <summary>The retry rules alone: which answers go again, after how long, and when the pipeline gives up.</summary>
public class RetryDecisionsTests
{
    private static readonly RetryOptions Options = new() { MaxRetries = 2, MaxRetryAfter = TimeSpan.FromSeconds(60) };

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(520, true)]
    [InlineData(527, true)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    [InlineData(519, false)]
    [InlineData(528, false)]
    [InlineData(429, false)]
    [InlineData(404, false)]
    public void Transient_server_errors(int status, bool transient) => Assert.Equal(transient, RetryDecisions.IsTransient(status));

    [Fact]
    public void A_5xx_is_retried_only_for_idempotent_calls_and_only_while_retries_remain()
    {
        Assert.Equal(RetryVerdict.RetryWithBackoff, RetryDecisions.ForStatus(503, idempotent: true, attempt: 0, TimeSpan.Zero, Options));
        Assert.Equal(RetryVerdict.RetryWithBackoff, RetryDecisions.ForStatus(503, idempotent: true, attempt: 1, TimeSpan.Zero, Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(503, idempotent: true, attempt: 2, TimeSpan.Zero, Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(503, idempotent: false, attempt: 0, TimeSpan.Zero, Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(501, idempotent: true, attempt: 0, TimeSpan.Zero, Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(200, idempotent: true, attempt: 0, TimeSpan.Zero, Options));
    }

    [Fact]
    public void A_429_is_retried_for_any_call_up_to_the_longest_wait_we_sit_out()
    {
        Assert.Equal(RetryVerdict.RetryAfterRateLimit, RetryDecisions.ForStatus(429, idempotent: false, attempt: 0, TimeSpan.FromSeconds(60), Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(429, idempotent: true, attempt: 0, TimeSpan.FromSeconds(60.001), Options));
        Assert.Equal(RetryVerdict.GiveBack, RetryDecisions.ForStatus(429, idempotent: true, attempt: 2, TimeSpan.Zero, Options));
    }

    [Fact]
    public void Lost_connections_are_retried_only_for_idempotent_calls()
    {
        Assert.True(RetryDecisions.RetryAfterFailure(idempotent: true, attempt: 1, Options));
        Assert.False(RetryDecisions.RetryAfterFailure(idempotent: true, attempt: 2, Options));
        Assert.False(RetryDecisions.RetryAfterFailure(idempotent: false, attempt: 0, Options));
    }

    [Fact]
    public void Backoff_doubles_per_attempt_is_capped_and_jittered_by_twenty_percent()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(16) };
        Assert.Equal(TimeSpan.FromMilliseconds(400), RetryDecisions.Backoff(0, options, jitter: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), RetryDecisions.Backoff(1, options, jitter: 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(2400), RetryDecisions.Backoff(2, options, jitter: 1));
        Assert.Equal(TimeSpan.FromSeconds(16), RetryDecisions.Backoff(5, options, jitter: 0.5));   // 500 ms * 32 = 16 s: the cap itself
        Assert.Equal(TimeSpan.FromSeconds(16), RetryDecisions.Backoff(62, options, jitter: 0.5));  // shifts stop at 10: no overflow
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage((System.Net.HttpStatusCode)429);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "120");
        Assert.Equal(TimeSpan.FromSeconds(120), RetryDecisions.RetryAfterOf(seconds, now));

        using var date = new HttpResponseMessage((System.Net.HttpStatusCode)429);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryDecisions.RetryAfterOf(date, now));

        using var none = new HttpResponseMessage((System.Net.HttpStatusCode)429);
        Assert.Null(RetryDecisions.RetryAfterOf(none, now));

        using var garbage = new HttpResponseMessage((System.Net.HttpStatusCode)429);
        garbage.Headers.TryAddWithoutValidation("Retry-After", "soon");
        Assert.Null(RetryDecisions.RetryAfterOf(garbage, now));
    }
}
