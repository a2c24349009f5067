namespace CfManagement.Emulator.Tail;

/// <summary>
/// Feeds events to every connected, unexpired tail of a target, as real traffic would: each tail applies its own
/// filters and sampling; tails created later (a client's renewal or reconnection) join at the next refresh. Paced to
/// eventsPerSecond (0 = as fast as the sockets take them) by checking a monotonic clock every event, sleeping only
/// when ahead by a millisecond or more, so 20,000+ events/s is reachable.
/// </summary>
internal static class TailTraffic
{
    /// <summary>Exactly these events, unpaced.</summary>
    public static Task RunAsync(TailStore store, string target, IReadOnlyList<TailEvent> events, CancellationToken ct) =>
        RunAsync(store, target, events.Count, i => events[(int)i], 0, ct);

    /// <summary>Synthetic events from + 0 .. from + count - 1.</summary>
    public static Task RunAsync(TailStore store, string target, TailEventFactory factory, long from, long count, string? kind,
        double eventsPerSecond, CancellationToken ct) =>
        RunAsync(store, target, count, i => factory.Create(from + i, kind), eventsPerSecond, ct);

    private static async Task RunAsync(TailStore store, string target, long count, Func<long, TailEvent> eventAt,
        double eventsPerSecond, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<TailSession> tails = [];
        TimeSpan? refreshed = null;
        for (long i = 0; i < count && !ct.IsCancellationRequested; i++)
        {
            if (refreshed is null || started.Elapsed - refreshed > TimeSpan.FromMilliseconds(20))
            {
                tails = store.Of(target).Where(t => t.Connected).ToList();
                refreshed = started.Elapsed;
            }
            if (eventsPerSecond > 0)
            {
                var ahead = TimeSpan.FromSeconds(i / eventsPerSecond) - started.Elapsed;
                if (ahead >= TimeSpan.FromMilliseconds(1))
                    await Task.Delay(ahead, ct);
            }
            await Offer(store, tails, eventAt(i), ct);
        }
    }

    private static async ValueTask Offer(TailStore store, IReadOnlyList<TailSession> tails, TailEvent e, CancellationToken ct)
    {
        foreach (var tail in tails)
        {
            if (tail.Closed.IsCancellationRequested || tail.IsExpired(store.Now) || !tail.Filter.Matches(e) || !tail.Sampled())
                continue;
            if (!tail.Queue.Writer.TryWrite(e))
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, tail.Closed);
                try { await tail.Queue.Writer.WriteAsync(e, either.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            }
        }
    }
}
