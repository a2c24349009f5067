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
                var canRetry = attempt < _options.MaxRetries;
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
                        if (!(idempotent && canRetry)) throw new TimeoutException($"No answer within {_options.RequestTimeout.TotalSeconds:0} s.");
                        await BackoffAsync(attempt, $"timeout on {request.Method} {path}", cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    catch (HttpRequestException ex)
                    {
                        if (!(idempotent && canRetry)) throw;
                        await BackoffAsync(attempt, $"connection failure on {request.Method} {path} ({ex.Message})", cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if ((int)response.StatusCode == 429)
                {
                    var retryAfter = RetryAfterOf(response) ?? DelayFor(attempt);
                    _governor.BlockUntil(DateTimeOffset.UtcNow + retryAfter);
                    if (!canRetry || retryAfter > _options.MaxRetryAfter) return response;
                    response.Dispose();
                    ApiDiagnostics.Verbose($"Cloudflare rate limit (429) on {request.Method} {path}: retrying in {retryAfter.TotalSeconds:0.#} s (attempt {attempt + 2} of {_options.MaxRetries + 1}).");
                    continue; // the governor holds the next attempt until Retry-After has passed
                }

                if (IsTransient(response.StatusCode) && idempotent && canRetry)
                {
                    var status = (int)response.StatusCode;
                    response.Dispose();
                    await BackoffAsync(attempt, $"{status} on {request.Method} {path}", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return response;
            }
        }

        internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is TimeSpan delta) return delta;
            if (header?.Date is DateTimeOffset date) return date - DateTimeOffset.UtcNow;
            if (response.Headers.TryGetValues("Retry-After", out var values) &&
                int.TryParse(values.FirstOrDefault(), out var seconds)) return TimeSpan.FromSeconds(seconds);
            return null;
        }

        private static bool IsTransient(HttpStatusCode status)
        {
            var code = (int)status;
            return code == 500 || code == 502 || code == 503 || code == 504 || (code >= 520 && code <= 527);
        }

        private TimeSpan DelayFor(int attempt)
        {
            var exponential = TimeSpan.FromTicks(_options.BaseDelay.Ticks * (1L << Math.Min(attempt, 10)));
            if (exponential > _options.MaxDelay) exponential = _options.MaxDelay;
            double factor;
            lock (Jitter) factor = 0.8 + Jitter.NextDouble() * 0.4;
            return TimeSpan.FromTicks((long)(exponential.Ticks * factor));
        }

        private async Task BackoffAsync(int attempt, string reason, CancellationToken cancellationToken)
        {
            var delay = DelayFor(attempt);
            ApiDiagnostics.Verbose($"Transient failure ({reason}): retrying in {delay.TotalSeconds:0.##} s (attempt {attempt + 2} of {_options.MaxRetries + 1}).");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
