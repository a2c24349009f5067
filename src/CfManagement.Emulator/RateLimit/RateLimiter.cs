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
            _buckets.Clear();
    }

    private static RateLimitDecision Refuse(TimeSpan left) => new(false, 0, Seconds(left), Seconds(left));

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
}
