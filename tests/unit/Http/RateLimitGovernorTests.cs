using CfManagement.Http;
using Xunit;

namespace CfManagement.Tests.Http;

/// <summary>The client-side budget on a fake clock: the sliding window and the hold after a 429.</summary>
public class RateLimitGovernorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DateTimeOffset _now = T0;

    private RateLimitGovernor Governor(int limit, int windowSeconds) => new(limit, TimeSpan.FromSeconds(windowSeconds), () => _now);

    [Fact]
    public void The_budget_is_a_sliding_window_of_request_starts()
    {
        var governor = Governor(limit: 2, windowSeconds: 10);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        _now = T0.AddSeconds(4);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        // Third request within the window: wait until the first start leaves it (t0 + 10 s).
        _now = T0.AddSeconds(5);
        Assert.Equal(TimeSpan.FromSeconds(5), governor.TryTakeTurn());
        Assert.Equal(TimeSpan.FromSeconds(5), governor.TryTakeTurn()); // asking again takes no turn
        _now = T0.AddSeconds(10);                                      // the window boundary: the first start is out
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        Assert.Equal(TimeSpan.FromSeconds(4), governor.TryTakeTurn()); // full again until the t0+4 start leaves
    }

    [Fact]
    public void After_a_429_everything_waits_for_the_latest_block()
    {
        var governor = Governor(limit: 100, windowSeconds: 10);
        governor.BlockUntil(T0.AddSeconds(30));
        governor.BlockUntil(T0.AddSeconds(20)); // an earlier end never shortens the hold
        Assert.Equal(TimeSpan.FromSeconds(30), governor.TryTakeTurn());
        _now = T0.AddSeconds(29.5);
        Assert.Equal(TimeSpan.FromSeconds(0.5), governor.TryTakeTurn());
        _now = T0.AddSeconds(30);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
    }

    [Fact]
    public void A_limit_below_one_still_lets_one_request_through_per_window()
    {
        var governor = Governor(limit: 0, windowSeconds: 10);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        Assert.Equal(TimeSpan.FromSeconds(10), governor.TryTakeTurn());
    }

    [Fact]
    public async Task WaitTurnAsync_returns_at_once_within_budget_and_honours_cancellation_when_held()
    {
        var governor = Governor(limit: 1, windowSeconds: 60);
        await governor.WaitTurnAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => governor.WaitTurnAsync(cts.Token));
    }
}

/// <summary>The governor following what the server says (Ratelimit, Ratelimit-Policy), on a fake clock.</summary>
public class RateLimitGovernorServerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DateTimeOffset _now = T0;

    private RateLimitGovernor Governor() => new(1200, TimeSpan.FromMinutes(5), () => _now);

    private static HttpResponseMessage Answer(int remaining, int reset, int? quota = null, int? window = null)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Ratelimit", $"\"default\";r={remaining};t={reset}");
        if (quota.HasValue) response.Headers.TryAddWithoutValidation("Ratelimit-Policy", $"\"default\";q={quota};w={window}");
        return response;
    }

    [Fact]
    public void No_remaining_quota_holds_requests_until_the_reset_the_server_gives()
    {
        var governor = Governor();
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        using (var answer = Answer(remaining: 1, reset: 8)) governor.Complete(answer);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn()); // the one left
        _now = T0.AddSeconds(1);
        using (var answer = Answer(remaining: 0, reset: 7)) governor.Complete(answer);
        Assert.Equal(TimeSpan.FromSeconds(7), governor.TryTakeTurn());
        _now = T0.AddSeconds(8);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
    }

    [Fact]
    public void The_remaining_quota_is_counted_down_by_requests_sent_since_the_answer()
    {
        var governor = Governor();
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        using (var answer = Answer(remaining: 2, reset: 10)) governor.Complete(answer);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn()); // two in flight: the quota the server gave is used up
        Assert.Equal(TimeSpan.FromSeconds(10), governor.TryTakeTurn());
    }

    [Fact]
    public void The_policy_over_the_sessions_own_answers_times_the_wait_finer_than_whole_seconds()
    {
        var governor = Governor();
        // Three requests answered at t0, t0+0.2 s, t0+0.4 s under a policy of 3 per 2 s; the server says t=2 (rounded up).
        for (var i = 0; i < 3; i++)
        {
            _now = T0.AddSeconds(0.2 * i);
            Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
            using var answer = Answer(remaining: 2 - i, reset: 2, quota: 3, window: 2);
            governor.Complete(answer);
        }
        // The first answer leaves the policy's window at t0+2 s: 1.6 s from now, not the 2 s that t says.
        Assert.Equal(TimeSpan.FromSeconds(1.6), governor.TryTakeTurn());
        _now = T0.AddSeconds(2);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        Assert.Equal(TimeSpan.FromSeconds(0.2), governor.TryTakeTurn()); // 3 in the window again (2 answered, 1 in flight)
    }

    [Fact]
    public void Without_headers_the_client_side_budget_is_the_fallback()
    {
        var governor = new RateLimitGovernor(2, TimeSpan.FromSeconds(10), () => _now);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        using (var bare = new HttpResponseMessage(System.Net.HttpStatusCode.OK)) governor.Complete(bare);
        Assert.Equal(TimeSpan.Zero, governor.TryTakeTurn());
        governor.Complete(null);
        Assert.Equal(TimeSpan.FromSeconds(10), governor.TryTakeTurn());
    }

    [Fact]
    public async Task A_wait_longer_than_allowed_fails_at_once_and_takes_no_turn()
    {
        var governor = Governor();
        governor.BlockUntil(T0.AddSeconds(30));
        var ex = await Assert.ThrowsAsync<RateLimitWaitException>(() => governor.WaitTurnAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(30), ex.Wait);
        Assert.Contains("30 s", ex.Message);
        _now = T0.AddSeconds(30);
        await governor.WaitTurnAsync(TimeSpan.FromSeconds(5), CancellationToken.None); // nothing was taken meanwhile
    }
}
