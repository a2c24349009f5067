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
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        public RateLimitGovernor(int limit, TimeSpan window)
        {
            _limit = Math.Max(1, limit);
            _window = window;
        }

        public void BlockUntil(DateTimeOffset until)
        {
            lock (_gate)
                if (until > _blockedUntil) _blockedUntil = until;
        }

        public async Task WaitTurnAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    var now = DateTimeOffset.UtcNow;
                    while (_starts.Count > 0 && now - _starts.Peek() >= _window) _starts.Dequeue();
                    if (_blockedUntil > now) wait = _blockedUntil - now;
                    else if (_starts.Count >= _limit) wait = _starts.Peek() + _window - now;
                    else
                    {
                        _starts.Enqueue(now);
                        return;
                    }
                }
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
