using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// The HTTP request (and response status) that triggered a tailed invocation. <see cref="Headers"/> has the value of
    /// every credential-like header replaced by <see cref="RedactedValue"/> unless the tail was asked to include them.
    /// </summary>
    public sealed class CfTailRequest
    {
        /// <summary>Stands in for the value of a credential-like header.</summary>
        public const string RedactedValue = "REDACTED";

        public CfTailRequest(string method, string url, int? status, string? colo, string? country, IReadOnlyDictionary<string, string> headers)
        {
            Method = method;
            Url = url;
            Status = status;
            Colo = colo;
            Country = country;
            Headers = headers;
        }

        public string Method { get; }
        public string Url { get; }
        /// <summary>The response status, absent when the Worker threw before answering.</summary>
        public int? Status { get; }
        public string? Colo { get; }
        public string? Country { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }

        public override string ToString() => $"{Method} {Url}" + (Status.HasValue ? $" - {Status}" : "");
    }
}
