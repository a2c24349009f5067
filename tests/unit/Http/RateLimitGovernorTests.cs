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
