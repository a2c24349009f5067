using System.Diagnostics;
using System.Text.Json;
using CfManagement.Emulator;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>
/// Watches the emulator's tails (GET /__emulator/tails every 50 ms) while a command runs, to check what a test cannot
/// see at the end: how many tails of a target existed at once, when one was last listed, how many events each carried.
/// </summary>
internal sealed class TailWatch : IDisposable
{
    public sealed record Seen(string Id, string Target, TimeSpan FirstSeen, TimeSpan LastSeen, long Delivered, bool EverConnected);

    private readonly CloudflareEmulator _emulator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly object _gate = new();
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _mostAtOnce = new(StringComparer.Ordinal);
    private readonly List<(long Timestamp, string Target, long Delivered)> _progress = new();

    public TailWatch(CloudflareEmulator emulator)
    {
        _emulator = emulator;
        _polling = Task.Run(PollAsync);
    }

    /// <summary>Time since the watch started (the clock of <see cref="Seen"/>).</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public IReadOnlyList<Seen> Tails(string target) { lock (_gate) return _seen.Values.Where(t => t.Target == target).OrderBy(t => t.FirstSeen).ToList(); }

    /// <summary>The most tails of <paramref name="target"/> listed at the same time.</summary>
    public int MostAtOnce(string target) { lock (_gate) return _mostAtOnce.GetValueOrDefault(target); }

    /// <summary>
    /// Events the emulator had sent on all tails of <paramref name="target"/> (deleted tails included), sampled about every
    /// 50 ms; Timestamp is <see cref="Stopwatch.GetTimestamp"/> just after the sample was read.
    /// </summary>
    public IReadOnlyList<(long Timestamp, long Delivered)> Progress(string target)
    {
        lock (_gate) return _progress.Where(p => p.Target == target).Select(p => (p.Timestamp, p.Delivered)).ToList();
    }

    /// <summary>Waits until <paramref name="count"/> tails of <paramref name="target"/> are connected at once.</summary>
    public async Task WaitConnectedAsync(string target, int count = 1, double seconds = 30)
    {
        var waited = Stopwatch.StartNew();
        while ((await SnapshotAsync()).Count(t => t.Target == target && t.Connected) < count)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"{count} tail(s) of {target} not connected within {seconds} s");
            await Task.Delay(20);
        }
    }

    private async Task<List<(string Id, string Target, bool Connected, long Delivered)>> SnapshotAsync()
    {
        using var http = new HttpClient();
        var json = await http.GetStringAsync(new Uri(_emulator.BaseUri, "/__emulator/tails"));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("result").EnumerateArray().Select(t => (
            t.GetProperty("id").GetString()!, t.GetProperty("target").GetString()!, t.GetProperty("connected").GetBoolean(),
            t.GetProperty("delivered").GetInt64())).ToList();
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            List<(string Id, string Target, bool Connected, long Delivered)> now;
            try { now = await SnapshotAsync(); }
            catch (HttpRequestException) { break; } // the emulator is gone: the test is over
            var at = Clock.Elapsed;
            var timestamp = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                foreach (var t in now)
                    _seen[t.Id] = _seen.TryGetValue(t.Id, out var s)
                        ? s with { LastSeen = at, Delivered = Math.Max(s.Delivered, t.Delivered), EverConnected = s.EverConnected || t.Connected }
                        : new Seen(t.Id, t.Target, at, at, t.Delivered, t.Connected);
                foreach (var group in now.GroupBy(t => t.Target))
                    _mostAtOnce[group.Key] = Math.Max(_mostAtOnce.GetValueOrDefault(group.Key), group.Count());
                foreach (var target in _seen.Values.Select(t => t.Target).Distinct())
                    _progress.Add((timestamp, target, _seen.Values.Where(t => t.Target == target).Sum(t => t.Delivered)));
            }
            try { await Task.Delay(50, _stop.Token); } catch (OperationCanceledException) { break; }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _polling.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
