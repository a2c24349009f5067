using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace CfManagement.Api
{
    /// <summary>What kind of failure a request ended in; the module maps each kind to one ErrorCategory.</summary>
    public enum ApiFailureKind
    {
        /// <summary>Cloudflare answered with an HTTP error status or <c>success: false</c>.</summary>
        Response,
        /// <summary>No answer: connection refused or reset, DNS failure.</summary>
        Connection,
        /// <summary>No answer within the request timeout.</summary>
        Timeout,
        /// <summary>An answer that is not a Cloudflare envelope.</summary>
        Protocol,
        /// <summary>
        /// Not sent: under the rate limit (Cloudflare's answers, its Retry-After, or the session's own budget) the
        /// request's turn comes later than the session waits; <see cref="CloudflareApiException.RetryAfter"/> says when.
        /// </summary>
        RateLimited,
    }

    /// <summary>
    /// The single exception type for every failed Cloudflare call. It carries the HTTP status and Cloudflare's own
    /// codes and messages, and never any part of a request or response body beyond those (so no secret can ride it).
    /// </summary>
    public sealed class CloudflareApiException : Exception
    {
        public CloudflareApiException(ApiFailureKind kind, string method, string path, HttpStatusCode? status,
            IReadOnlyList<CloudflareError> errors, string message, Exception? inner = null, TimeSpan? retryAfter = null)
            : base(message, inner)
        {
            Kind = kind;
            Method = method;
            Path = path;
            StatusCode = status;
            Errors = errors ?? Array.Empty<CloudflareError>();
            RetryAfter = retryAfter;
            if (retryAfter.HasValue) Data["RetryAfterSeconds"] = Math.Ceiling(retryAfter.Value.TotalSeconds);
        }

        public ApiFailureKind Kind { get; }
        public string Method { get; }
        /// <summary>The request path relative to the API base, without query string.</summary>
        public string Path { get; }
        public HttpStatusCode? StatusCode { get; }
        public IReadOnlyList<CloudflareError> Errors { get; }
        public TimeSpan? RetryAfter { get; }

        /// <summary>All codes, including those in error chains.</summary>
        public IEnumerable<int> AllCodes => Errors.SelectMany(e => new[] { e.Code }.Concat(e.Chain.Select(c => c.Code)));

        public bool HasCode(int code) => AllCodes.Contains(code);

        internal static CloudflareApiException FromResponse(string method, string path, HttpStatusCode status,
            IReadOnlyList<CloudflareError> errors, TimeSpan? retryAfter)
        {
            var detail = errors.Count == 0 ? "no error details returned" : string.Join("; ", errors.Select(e => e.ToString()));
            var text = $"Cloudflare API {method} {path} failed with {(int)status} {status}: {detail}";
            return new CloudflareApiException(ApiFailureKind.Response, method, path, status, errors, text, null, retryAfter);
        }
    }
}
