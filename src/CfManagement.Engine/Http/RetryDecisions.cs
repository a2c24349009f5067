using System;
using System.Linq;
using System.Net.Http;

namespace CfManagement.Http
{
    /// <summary>What <see cref="RetryHandler"/> does with one answer.</summary>
    internal enum RetryVerdict
    {
        /// <summary>Hand the response to the caller as it is.</summary>
        GiveBack,
        /// <summary>A 429: send again once the governor lets the session through (it holds until Retry-After).</summary>
        RetryAfterRateLimit,
        /// <summary>A transient 5xx on an idempotent call: back off, then send again.</summary>
        RetryWithBackoff,
    }

    /// <summary>
    /// The retry rules as pure functions (no clock, no randomness, no I/O), so each rule is testable on its own;
    /// <see cref="RetryHandler"/> applies them to the wire.
    /// </summary>
    internal static class RetryDecisions
    {
        /// <summary>Whether another attempt is allowed after attempt number <paramref name="attempt"/> (0 = the first).</summary>
        public static bool CanRetry(int attempt, RetryOptions options) => attempt < options.MaxRetries;

        /// <summary>
        /// The verdict on a response. A 429 is retried for any call (Cloudflare did not process it) unless the wait is
        /// longer than <see cref="RetryOptions.MaxRetryAfter"/>; a 5xx only for idempotent calls, because a repeated
        /// create or roll could mint a value the caller never sees.
        /// </summary>
        public static RetryVerdict ForStatus(int statusCode, bool idempotent, int attempt, TimeSpan retryAfter, RetryOptions options)
        {
            var canRetry = CanRetry(attempt, options);
            if (statusCode == 429)
                return canRetry && retryAfter <= options.MaxRetryAfter ? RetryVerdict.RetryAfterRateLimit : RetryVerdict.GiveBack;
            return IsTransient(statusCode) && idempotent && canRetry ? RetryVerdict.RetryWithBackoff : RetryVerdict.GiveBack;
        }

        /// <summary>After a lost connection or a per-attempt timeout the request may have reached Cloudflare: only idempotent calls go again.</summary>
        public static bool RetryAfterFailure(bool idempotent, int attempt, RetryOptions options) => idempotent && CanRetry(attempt, options);

        /// <summary>Server errors worth another try: 500, 502-504 and Cloudflare's 520-527 origin errors (not 501, 505...).</summary>
        public static bool IsTransient(int statusCode) =>
            statusCode == 500 || statusCode == 502 || statusCode == 503 || statusCode == 504 || (statusCode >= 520 && statusCode <= 527);

        /// <summary>
        /// Exponential backoff: BaseDelay doubled per attempt (doubling stops after 10), capped at MaxDelay, then scaled
        /// by a jitter factor of 0.8 to 1.2 (<paramref name="jitter"/> in [0, 1)) so many clients do not retry in step.
        /// </summary>
        public static TimeSpan Backoff(int attempt, RetryOptions options, double jitter)
        {
            var exponential = TimeSpan.FromTicks(options.BaseDelay.Ticks * (1L << Math.Min(attempt, 10)));
            if (exponential > options.MaxDelay) exponential = options.MaxDelay;
            var factor = 0.8 + jitter * 0.4;
            return TimeSpan.FromTicks((long)(exponential.Ticks * factor));
        }

        /// <summary>The wait a response asks for: Retry-After as seconds or as an HTTP date (relative to <paramref name="now"/>); null when absent.</summary>
        public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is TimeSpan delta) return delta;
            if (header?.Date is DateTimeOffset date) return date - now;
            if (response.Headers.TryGetValues("Retry-After", out var values) &&
                int.TryParse(values.FirstOrDefault(), out var seconds)) return TimeSpan.FromSeconds(seconds);
            return null;
        }
    }
}
