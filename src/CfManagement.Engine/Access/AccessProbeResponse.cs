using System;
using System.Collections.Generic;

namespace CfManagement.Access
{
    /// <summary>
    /// One answer to a probe of an Access-protected URL, reduced to what may be shown: the status, the headers that say
    /// who answered (secret-free), the cookie names Set-Cookie carried (never their values) and an unfollowed redirect;
    /// or why no answer came (<see cref="TransportFailure"/>).
    /// </summary>
    internal sealed class AccessProbeResponse
    {
        private AccessProbeResponse(int? statusCode, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> cookieNames,
            string? location, string? transportFailure, TimeSpan elapsed)
        {
            StatusCode = statusCode;
            Headers = headers;
            CookieNames = cookieNames;
            Location = location;
            TransportFailure = transportFailure;
            Elapsed = elapsed;
        }

        public static AccessProbeResponse Answered(int statusCode, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> cookieNames,
            string? location, TimeSpan elapsed) => new AccessProbeResponse(statusCode, headers, cookieNames, location, null, elapsed);

        public static AccessProbeResponse Unreachable(string why, TimeSpan elapsed) =>
            new AccessProbeResponse(null, new Dictionary<string, string>(), Array.Empty<string>(), null, why, elapsed);

        /// <summary>Null when no HTTP answer came.</summary>
        public int? StatusCode { get; }
        /// <summary>Lower-case header names; only those <see cref="AccessProbe"/> keeps.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }
        /// <summary>Names of the cookies the answer set (CF_Authorization means Access issued its JWT).</summary>
        public IReadOnlyList<string> CookieNames { get; }
        /// <summary>The Location of a 3xx answer (absolute), not followed.</summary>
        public string? Location { get; }
        /// <summary>Why there was no answer (connection refused, name not resolved, timeout, TLS); null when there was one.</summary>
        public string? TransportFailure { get; }
        public TimeSpan Elapsed { get; }

        public bool IsRedirect => StatusCode >= 300 && StatusCode < 400;
        public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;
    }
}
