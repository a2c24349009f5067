using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Http
{
    /// <summary>
    /// Keeps one session within the rate limit, so that its requests are not refused with 429. Three things hold a
    /// request back, whichever asks for the longest wait:
    /// <list type="bullet">
    /// <item>the client-side budget (<see cref="RetryOptions.RateLimitRequests"/> per <see cref="RetryOptions.RateLimitWindow"/>,
    /// 1200 per 5 minutes by default: Cloudflare's documented limit), a sliding window of request starts; it is all
    /// there is while the server says nothing;</item>
    /// <item>what the server says on each answer: <c>Ratelimit: "default";r=REMAINING;t=SECONDS</c> (also the older
    /// <c>RateLimit-Remaining</c>/<c>RateLimit-Reset</c> pair) and <c>Ratelimit-Policy: "default";q=QUOTA;w=WINDOW</c>
    /// (also <c>RateLimit-Limit: Q;w=W</c>). With no remaining quota, requests wait for the reset; the policy is
    /// applied to the session's own answers as a sliding window, which times the wait to the millisecond where
    /// <c>t</c> only gives whole seconds;</item>
    /// <item>after a 429, the Retry-After moment, for every request of the session (Cloudflare blocks them all anyway).</item>
    /// </list>
    /// Waiting for a turn happens before a request is sent and never counts against its timeout; a wait longer than
    /// the caller allows fails at once (<see cref="RateLimitWaitException"/>) without sending anything.
    /// </summary>
    internal sealed class RateLimitGovernor
    {
        /// <summary>How often to look again while the requests that decide the next turn are still in flight.</summary>
        internal static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(20);

        private readonly int _limit;
        private readonly TimeSpan _window;
        private readonly Queue<DateTimeOffset> _starts = new Queue<DateTimeOffset>();
        private readonly object _gate = new object();
        private readonly Func<DateTimeOffset> _clock;
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        // What the server said: the quota left (counted down per turn taken since) and when it resets.
        private int? _serverRemaining;
        private DateTimeOffset _serverResetAt = DateTimeOffset.MinValue;
        // The server's policies (quota per window), applied to the times this session's answers arrived.
        private IReadOnlyList<RateLimitPolicy> _policies = Array.Empty<RateLimitPolicy>();
        private readonly List<DateTimeOffset> _answered = new List<DateTimeOffset>();
        private int _inFlight;

        /// <param name="clock">The current time; tests pass a fake one so the window arithmetic is checked without sleeping.</param>
        public RateLimitGovernor(int limit, TimeSpan window, Func<DateTimeOffset>? clock = null)
        {
            _limit = Math.Max(1, limit);
            _window = window;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        internal DateTimeOffset Now => _clock();

        public void BlockUntil(DateTimeOffset until)
        {
            lock (_gate)
                if (until > _blockedUntil) _blockedUntil = until;
        }

        /// <summary>
        /// Takes a turn now if every limit allows it (and returns zero); otherwise takes nothing and returns how long
        /// to wait before asking again. A turn taken must be ended with <see cref="Complete"/>.
        /// </summary>
        public TimeSpan TryTakeTurn()
        {
            lock (_gate)
            {
                var now = _clock();
                var wait = WaitLocked(now);
                if (wait > TimeSpan.Zero) return wait;
                _starts.Enqueue(now);
                if (_serverRemaining.HasValue) _serverRemaining--;
                _inFlight++;
                return TimeSpan.Zero;
            }
        }

        /// <summary>Ends a turn: the answer (null when none came) says what the server's limits are now.</summary>
        public void Complete(HttpResponseMessage? response) => Complete(response, _clock());

        /// <summary>Ends a turn taken for a request sent at <paramref name="sentAt"/>: the answer (null when none came) says what the server's limits are now.</summary>
        public void Complete(HttpResponseMessage? response, DateTimeOffset sentAt)
        {
            var info = response == null ? null : RateLimitHeaders.Read(response);
            lock (_gate)
            {
                var now = _clock();
                if (_inFlight > 0) _inFlight--;
                _answered.Add(now); // a request without an answer may still have been counted: assume it was
                if (info == null) return;
                if (info.Policies.Count > 0) _policies = info.Policies;
                if (info.Remaining is int remaining)
                {
                    // Requests still in flight were counted by the server after this one, or will be.
                    _serverRemaining = remaining - _inFlight;
                    var reset = now + (info.Reset ?? TimeSpan.Zero);
                    if (_serverRemaining <= 0)
                    {
                        // t is whole seconds, rounded up; when this session's own answers fill the policy, the
                        // policy over them says the same moment exactly, and never earlier: an answer arrives after
                        // the server counted its request, and the window is judged from when this request was sent
                        // (the server counted it then or later), so it holds every answer the server still counts.
                        var own = OwnPolicyFree(sentAt, countInFlight: false);
                        if (own.HasValue && own.Value < reset) reset = own.Value;
                        ApiDiagnostics.Debug($"Rate limit: no quota left; the server resets in {info.Reset?.TotalSeconds ?? 0:0} s, this session's answers say in {(own.HasValue ? (own.Value - now).TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s" : "(policy not full)")}.");
                    }
                    _serverResetAt = reset;
                }
                Prune(now);
            }
        }

        /// <summary>
        /// Waits for a turn and takes it. A wait longer than <paramref name="maxWait"/> is not sat out: it throws
        /// <see cref="RateLimitWaitException"/> at once, so nothing is sent. Cancellation ends a wait at once.
        /// </summary>
        public async Task WaitTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken)
        {
            var announced = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var wait = TryTakeTurn();
                if (wait <= TimeSpan.Zero) return;
                if (wait > maxWait) throw new RateLimitWaitException(wait, maxWait);
                if (!announced && wait > InFlightPoll)
                {
                    ApiDiagnostics.Verbose($"Rate limit: holding the request for {wait.TotalSeconds:0.##} s to stay within the rate limit (not counted against the request timeout).");
                    announced = true;
                }
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        public Task WaitTurnAsync(CancellationToken cancellationToken) => WaitTurnAsync(TimeSpan.MaxValue, cancellationToken);

        private TimeSpan WaitLocked(DateTimeOffset now)
        {
            while (_starts.Count > 0 && now - _starts.Peek() >= _window) _starts.Dequeue();
            var until = now;
            if (_blockedUntil > until) until = _blockedUntil;
            if (_starts.Count >= _limit && _starts.Peek() + _window > until) until = _starts.Peek() + _window;
            if (_serverRemaining is int left && left <= 0 && _serverResetAt > until) until = _serverResetAt;
            var policyFree = OwnPolicyFree(now, countInFlight: true);
            if (policyFree.HasValue && policyFree.Value > until) until = policyFree.Value;
            return until - now;
        }

        /// <summary>
        /// When the server's policies next let this session send, judged by its own answers within each window
        /// before <paramref name="now"/> (and, with <paramref name="countInFlight"/>, its requests still in flight);
        /// null when they allow a request now.
        /// </summary>
        private DateTimeOffset? OwnPolicyFree(DateTimeOffset now, bool countInFlight)
        {
            DateTimeOffset? free = null;
            foreach (var policy in _policies)
            {
                var since = now - policy.Window;
                var recent = _answered.Where(t => t > since).OrderBy(t => t).ToList();
                var used = recent.Count + (countInFlight ? _inFlight : 0);
                if (used < policy.Quota) continue;
                // The policy frees a slot when the (used - quota + 1)-th oldest answer leaves its window.
                var index = used - policy.Quota;
                var at = index < recent.Count ? recent[index] + policy.Window : now + InFlightPoll;
                if (free == null || at > free) free = at;
            }
            return free;
        }

        private void Prune(DateTimeOffset now)
        {
            var longest = _policies.Count == 0 ? TimeSpan.Zero : _policies.Max(p => p.Window);
            _answered.RemoveAll(t => now - t >= longest);
        }
    }

    /// <summary>A request was not sent: its turn would come later than the caller allows to wait.</summary>
    /// <remarks>An <see cref="HttpRequestException"/> so that callers of the raw pipeline (the D1 ledger) treat it as "not sent".</remarks>
    public sealed class RateLimitWaitException : HttpRequestException
    {
        public RateLimitWaitException(TimeSpan wait, TimeSpan maxWait)
            : base($"Not sent: its turn under the rate limit comes in {Math.Ceiling(wait.TotalSeconds):0} s, longer than the {maxWait.TotalSeconds:0.#} s this session waits (-MaxRetryWaitSeconds).")
        {
            Wait = wait;
            MaxWait = maxWait;
        }

        /// <summary>How long until the request could be sent.</summary>
        public TimeSpan Wait { get; }
        public TimeSpan MaxWait { get; }
    }
}
