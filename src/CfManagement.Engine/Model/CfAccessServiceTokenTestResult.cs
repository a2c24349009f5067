using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// What Test-CfAccessServiceToken found when it called a URL with a service token: the outcome, the evidence it
    /// rests on (status codes, Access's response headers, a redirect that was not followed) and the next step. Never
    /// carries the client secret, nor the CF_Authorization cookie's value (a JWT that works like a credential).
    /// </summary>
    public sealed class CfAccessServiceTokenTestResult
    {
        public CfAccessServiceTokenTestResult(string uri, string clientId, string source, CfAccessTestOutcome outcome, int? statusCode,
            int? statusCodeWithoutToken, string? redirectLocation, IReadOnlyDictionary<string, string> accessHeaders,
            IReadOnlyList<string> evidence, string reason, string recommendedAction, TimeSpan elapsed, DateTimeOffset checkedOn)
        {
            Uri = uri;
            ClientId = clientId;
            Source = source;
            Outcome = outcome;
            StatusCode = statusCode;
            StatusCodeWithoutToken = statusCodeWithoutToken;
            RedirectLocation = redirectLocation;
            AccessHeaders = accessHeaders;
            Evidence = evidence;
            Reason = reason;
            RecommendedAction = recommendedAction;
            Elapsed = elapsed;
            CheckedOn = checkedOn;
        }

        /// <summary>The URL that was called (the only place the secret was sent).</summary>
        public string Uri { get; }
        /// <summary>The service token's client id (not secret: it names the token, like a user name).</summary>
        public string ClientId { get; }
        /// <summary>Where the token came from: parameters, pipeline, or vault:NAME/SECRET.</summary>
        public string Source { get; }
        public CfAccessTestOutcome Outcome { get; }
        /// <summary>True only for Authenticated.</summary>
        public bool Passed => Outcome == CfAccessTestOutcome.Authenticated;
        /// <summary>The status the URL answered with the token; null when it was unreachable.</summary>
        public int? StatusCode { get; }
        /// <summary>
        /// The status of the control request sent WITHOUT the token (only when the answer with it was 2xx and carried no
        /// Access cookie): 401/403 or Access's login redirect there means Access is in front; 2xx means nothing is.
        /// </summary>
        public int? StatusCodeWithoutToken { get; }
        /// <summary>Where a 3xx answer pointed; never followed, because the request carried the secret.</summary>
        public string? RedirectLocation { get; }
        /// <summary>The response headers that show what answered: cf-access-*, cf-ray, server, www-authenticate, and Set-Cookie names (values withheld).</summary>
        public IReadOnlyDictionary<string, string> AccessHeaders { get; }
        /// <summary>Each fact the outcome rests on, in words.</summary>
        public IReadOnlyList<string> Evidence { get; }
        /// <summary>Why this outcome, in one sentence.</summary>
        public string Reason { get; }
        /// <summary>What to do next.</summary>
        public string RecommendedAction { get; }
        public TimeSpan Elapsed { get; }
        public DateTimeOffset CheckedOn { get; }

        public override string ToString() => $"{ClientId} at {Uri}: {Outcome}{(StatusCode.HasValue ? " (" + StatusCode.Value + ")" : "")}";
    }
}
