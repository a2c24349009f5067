using System;

namespace CfManagement.Http
{
    /// <summary>How hard the pipeline tries before giving a failure back to the caller.</summary>
    public sealed class RetryOptions
    {
        /// <summary>Retries after the first attempt (429 for any call; 5xx and lost connections for idempotent calls).</summary>
        public int MaxRetries { get; set; } = 4;
        /// <summary>First backoff delay; doubled per attempt, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(16);
        /// <summary>The longest Retry-After the pipeline will sit out; a longer one fails at once with the wait in the error.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>Client-side governor: at most this many requests per <see cref="RateLimitWindow"/> (Cloudflare: 1200 per 5 minutes).</summary>
        public int RateLimitRequests { get; set; } = 1200;
        public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>Per-attempt timeout.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
    }
}
