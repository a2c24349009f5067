namespace CfManagement.Emulator.Tail;

/// <summary>
/// Every tail, with its own lock (never the state's gate): the WebSocket endpoint and event producers use only this
/// lock, briefly, so a streaming socket never holds up ordinary API calls.
/// </summary>
internal sealed class TailStore(EmulatorOptions options)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, TailSession> _tails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _traffic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nextSequence = new(StringComparer.Ordinal);
    private CancellationTokenSource _generators = new();

    public DateTimeOffset Now => options.Clock.GetUtcNow();

    /// <summary>Cancelled by POST /__emulator/tails/stop-generating and on reset.</summary>
    public CancellationToken Generators { get { lock (_lock) return _generators.Token; } }

    public void StopGenerators()
    {
        lock (_lock)
        {
            _generators.Cancel();
            _generators = new CancellationTokenSource();
        }
    }

    /// <summary>Reserves <paramref name="count"/> sequence numbers of a target's synthetic events; returns the first.</summary>
    public long Reserve(string target, long count)
    {
        lock (_lock)
        {
            var from = _nextSequence.GetValueOrDefault(target);
            _nextSequence[target] = from + count;
            return from;
        }
    }

    public TimeSpan Ttl { get; set; } = options.TailTtl;
    /// <summary>Events/s a tail may carry; a target whose simulated traffic times the sampling rate exceeds it gets 10057.</summary>
    public double TrafficThreshold { get; set; } = options.TailTrafficThreshold;

    public void Add(TailSession tail) { lock (_lock) _tails[tail.Id] = tail; }

    public TailSession? Find(string id) { lock (_lock) return _tails.GetValueOrDefault(id); }

    public IReadOnlyList<TailSession> All { get { lock (_lock) return _tails.Values.ToList(); } }

    public IReadOnlyList<TailSession> Of(string target) { lock (_lock) return _tails.Values.Where(t => t.Target == target).ToList(); }

    public TailSession? Remove(string id)
    {
        lock (_lock)
        {
            if (!_tails.Remove(id, out var tail))
                return null;
            tail.Close(drop: false);
            return tail;
        }
    }

    /// <summary>The simulated request rate of a target (events/s), compared with the threshold on tail creation.</summary>
    public double TrafficOf(string target) { lock (_lock) return _traffic.GetValueOrDefault(target); }

    public void SetTraffic(string target, double eventsPerSecond) { lock (_lock) _traffic[target] = eventsPerSecond; }

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var tail in _tails.Values)
                tail.Close(drop: false);
            _tails.Clear();
            _traffic.Clear();
            _nextSequence.Clear();
            _generators.Cancel();
            _generators = new CancellationTokenSource();
            Ttl = options.TailTtl;
            TrafficThreshold = options.TailTrafficThreshold;
        }
    }
}
