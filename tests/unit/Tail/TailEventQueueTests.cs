using CfManagement.Tail;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>The bounded hand-off from socket readers to the pipeline thread.</summary>
public class TailEventQueueTests
{
    [Fact]
    public void Drop_mode_keeps_at_most_capacity_and_counts_the_rest()
    {
        using var q = new TailEventQueue<int>(3, TailBackpressure.Drop);
        var accepted = Enumerable.Range(1, 10).Count(i => q.Offer(i, CancellationToken.None));
        Assert.Equal(3, accepted);
        Assert.Equal(3, q.Count);
        Assert.Equal(7, q.Dropped);
        Assert.Equal(7, q.TakeNewDrops());
        Assert.Equal(0, q.TakeNewDrops());
        Assert.True(q.TryTake(out var first, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(1, first); // arrival order, the oldest kept
        Assert.True(q.Offer(11, CancellationToken.None));
        Assert.Equal(0, q.TakeNewDrops());
    }

    [Fact]
    public async Task Block_mode_makes_the_reader_wait_and_loses_nothing()
    {
        using var q = new TailEventQueue<int>(2, TailBackpressure.Block);
        var reader = Task.Run(() => { for (var i = 0; i < 1000; i++) q.Offer(i, CancellationToken.None); q.Complete(); });
        var got = new List<int>();
        while (!q.IsFinished)
            if (q.TryTake(out var item, TimeSpan.FromMilliseconds(100), CancellationToken.None)) { got.Add(item); Assert.True(q.Count <= 2); }
        await reader;
        Assert.Equal(Enumerable.Range(0, 1000), got);
        Assert.Equal(0, q.Dropped);
    }

    [Fact]
    public void A_blocked_reader_is_released_by_cancellation()
    {
        using var q = new TailEventQueue<int>(1, TailBackpressure.Block);
        q.Offer(1, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.Throws<OperationCanceledException>(() => q.Offer(2, cts.Token));
    }

    [Fact]
    public void After_completion_offers_are_refused_and_take_ends()
    {
        using var q = new TailEventQueue<int>(4, TailBackpressure.Drop);
        q.Offer(1, CancellationToken.None);
        q.Complete();
        Assert.False(q.Offer(2, CancellationToken.None));
        Assert.Equal(0, q.Dropped);
        Assert.True(q.TryTake(out _, TimeSpan.Zero, CancellationToken.None));
        Assert.False(q.TryTake(out _, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.True(q.IsFinished);
    }

    [Fact]
    public void A_full_Drop_queue_says_an_offer_would_drop_and_drops_counted_before_the_queue_are_reported_with_the_rest()
    {
        using var q = new TailEventQueue<int>(2, TailBackpressure.Drop);
        Assert.False(q.WouldDrop);
        q.Offer(1, CancellationToken.None);
        q.Offer(2, CancellationToken.None);
        Assert.True(q.WouldDrop);
        q.CountDropped(); // a reader that did not even parse the event
        Assert.False(q.Offer(3, CancellationToken.None));
        Assert.Equal(2, q.Dropped);
        Assert.Equal(2, q.TakeNewDrops());
        Assert.True(q.TryTake(out _, TimeSpan.Zero, CancellationToken.None));
        Assert.False(q.WouldDrop);
    }

    [Fact]
    public void A_full_Block_queue_never_says_an_offer_would_drop()
    {
        using var q = new TailEventQueue<int>(1, TailBackpressure.Block);
        q.Offer(1, CancellationToken.None);
        Assert.False(q.WouldDrop);
    }
}
