using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Http
{
    /// <summary>
    /// Retries what is safe to retry: a 429 for any call (Cloudflare did not process it), honouring Retry-After;
    /// 5xx answers, lost connections and timeouts only for idempotent calls, with exponential backoff and jitter.
    /// A non-idempotent call that may have reached Cloudflare is never repeated blindly.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private static readonly Random Jitter = new Random();
        private readonly RetryOptions _options;
        private readonly RateLimitGovernor _governor;

        public RetryHandler(RetryOptions options, RateLimitGovernor governor)
        {
            _options = options;
            _governor = governor;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var idempotent = RequestProperties.IsIdempotent(request);
            var path = request.RequestUri?.AbsolutePath ?? "";
            for (var attempt = 0; ; attempt++)
            {
                // Waiting for a turn comes first and is not part of the attempt's timeout; a turn further away than
                // MaxRetryAfter fails at once (RateLimitWaitException), before anything is sent.
                await _governor.WaitTurnAsync(_options.MaxRetryAfter, cancellationToken).ConfigureAwait(false);
                var sentAt = _governor.Now;
                HttpResponseMessage response;
                using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attemptTimeout.CancelAfter(_options.RequestTimeout);
                    try
                    {
                        response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        _governor.Complete(null, sentAt);
                        if (!RetryDecisions.RetryAfterFailure(idempotent, attempt, _options)) throw new TimeoutException($"No answer within {_options.RequestTimeout.TotalSeconds:0} s.");
                        await BackoffAsync(attempt, $"timeout on {request.Method} {path}", cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    catch (HttpRequestException ex)
                    {
                        _governor.Complete(null, sentAt);
                        if (!RetryDecisions.RetryAfterFailure(idempotent, attempt, _options)) throw;
                        await BackoffAsync(attempt, $"connection failure on {request.Method} {path} ({ex.Message})", cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    catch
                    {
                        _governor.Complete(null, sentAt);
                        throw;
                    }
                }
                _governor.Complete(response, sentAt);

                var status = (int)response.StatusCode;
                var retryAfter = status == 429 ? RetryAfterOf(response) ?? DelayFor(attempt) : TimeSpan.Zero;
                // Cloudflare holds every request of the token after a 429, so the governor holds them too, retried or not.
                if (status == 429) _governor.BlockUntil(_governor.Now + retryAfter);
                var verdict = RetryDecisions.ForStatus(status, idempotent, attempt, retryAfter, _options);
                if (verdict == RetryVerdict.RetryAfterRateLimit)
                {
                    response.Dispose();
                    ApiDiagnostics.Verbose($"Cloudflare rate limit (429) on {request.Method} {path}: retrying in {retryAfter.TotalSeconds:0.#} s (attempt {attempt + 2} of {_options.MaxRetries + 1}).");
                    continue; // the governor holds the next attempt until Retry-After has passed (at most MaxRetryAfter)
                }
                if (verdict == RetryVerdict.RetryWithBackoff)
                {
                    response.Dispose();
                    await BackoffAsync(attempt, $"{status} on {request.Method} {path}", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return response;
            }
        }

        internal static TimeSpan? RetryAfterOf(HttpResponseMessage response) => RetryDecisions.RetryAfterOf(response, DateTimeOffset.UtcNow);

        private TimeSpan DelayFor(int attempt)
        {
            double jitter;
            lock (Jitter) jitter = Jitter.NextDouble();
            return RetryDecisions.Backoff(attempt, _options, jitter);
        }

        private async Task BackoffAsync(int attempt, string reason, CancellationToken cancellationToken)
        {
            var delay = DelayFor(attempt);
            ApiDiagnostics.Verbose($"Transient failure ({reason}): retrying in {delay.TotalSeconds:0.##} s (attempt {attempt + 2} of {_options.MaxRetries + 1}).");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
