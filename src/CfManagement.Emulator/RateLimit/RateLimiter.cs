namespace CfManagement.Emulator.RateLimit;

/// <summary>Outcome of counting one request.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Remaining, int ResetSeconds, int RetryAfterSeconds);

/// <summary>
/// Per-key sliding window: at most N requests per window. The request that goes over starts a block
/// lasting one whole window, during which every request is refused (as Cloudflare does).
/// </summary>
internal sealed class RateLimiter(EmulatorOptions options)
{
    private sealed class Bucket
    {
        public readonly Queue<DateTimeOffset> Hits = new();
        public DateTimeOffset BlockedUntil = DateTimeOffset.MinValue;
    }

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _refused;

    /// <summary>Requests answered 429 by the limit since start (or the last reset): what a well-behaved client keeps at 0.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Changes the policy from now on (the admin endpoint's POST /__emulator/ratelimit); counters restart.</summary>
    public void SetPolicy(int requests, TimeSpan window)
    {
        if (requests < 1) throw new ArgumentOutOfRangeException(nameof(requests), "requests must be at least 1.");
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), "window must be positive.");
        lock (_gate)
        {
            options.RateLimitRequests = requests;
            options.RateLimitWindow = window;
            _buckets.Clear();
        }
    }

    public int Limit => options.RateLimitRequests;
    public int WindowSeconds => (int)Math.Ceiling(options.RateLimitWindow.TotalSeconds);

    public RateLimitDecision Count(string key)
    {
        var now = options.Clock.GetUtcNow();
        var window = options.RateLimitWindow;
        lock (_gate)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
                _buckets[key] = bucket = new Bucket();

            if (bucket.BlockedUntil > now)
                return Refuse(bucket.BlockedUntil - now);

            while (bucket.Hits.Count > 0 && bucket.Hits.Peek() <= now - window)
                bucket.Hits.Dequeue();

            if (bucket.Hits.Count >= options.RateLimitRequests)
            {
                bucket.BlockedUntil = now + window;
                bucket.Hits.Clear();
                return Refuse(window);
            }

            bucket.Hits.Enqueue(now);
            var reset = bucket.Hits.Peek() + window - now;
            return new RateLimitDecision(true, options.RateLimitRequests - bucket.Hits.Count, Seconds(reset), 0);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _buckets.Clear();
            Interlocked.Exchange(ref _refused, 0);
        }
    }

    private RateLimitDecision Refuse(TimeSpan left)
    {
        Interlocked.Increment(ref _refused);
        return new(false, 0, Seconds(left), Seconds(left));
    }

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
}
