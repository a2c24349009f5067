using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Http
{
    /// <summary>
    /// Keeps one session under Cloudflare's budget (a sliding window of request start times) and, after a 429,
    /// holds every request of the session until the Retry-After moment, because Cloudflare blocks them all anyway.
    /// </summary>
    internal sealed class RateLimitGovernor
    {
        private readonly int _limit;
        private readonly TimeSpan _window;
        private readonly Queue<DateTimeOffset> _starts = new Queue<DateTimeOffset>();
        private readonly object _gate = new object();
        private readonly Func<DateTimeOffset> _clock;
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        /// <param name="clock">The current time; tests pass a fake one so the window arithmetic is checked without sleeping.</param>
        public RateLimitGovernor(int limit, TimeSpan window, Func<DateTimeOffset>? clock = null)
        {
            _limit = Math.Max(1, limit);
            _window = window;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        public void BlockUntil(DateTimeOffset until)
        {
            lock (_gate)
                if (until > _blockedUntil) _blockedUntil = until;
        }

        /// <summary>
        /// Takes a turn now if the budget and any Retry-After block allow it (and returns zero); otherwise takes nothing
        /// and returns how long to wait before asking again.
        /// </summary>
        public TimeSpan TryTakeTurn()
        {
            lock (_gate)
            {
                var now = _clock();
                while (_starts.Count > 0 && now - _starts.Peek() >= _window) _starts.Dequeue();
                if (_blockedUntil > now) return _blockedUntil - now;
                if (_starts.Count >= _limit) return _starts.Peek() + _window - now;
                _starts.Enqueue(now);
                return TimeSpan.Zero;
            }
        }

        public async Task WaitTurnAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var wait = TryTakeTurn();
                if (wait <= TimeSpan.Zero) return;
                ApiDiagnostics.Verbose($"Rate limit: holding requests for {Math.Ceiling(wait.TotalSeconds)} s to stay within Cloudflare's budget.");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal sealed class RateLimitGovernorHandler : System.Net.Http.DelegatingHandler
    {
        private readonly RateLimitGovernor _governor;

        public RateLimitGovernorHandler(RateLimitGovernor governor) => _governor = governor;

        protected override async Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await _governor.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
