using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace CfManagement.Tail
{
    /// <summary>
    /// The filters of a tail as a user gives them (wrangler's CLI filters), checked before any request and turned into
    /// the API's filter list sent in the tail's POST body (API-FACTS "Tail"; wrangler packages/wrangler/src/tail/filters.ts):
    /// status error becomes the outcomes exception, exceededCpu, exceededMemory and unknown; a header filter
    /// 'Name: value' becomes <c>{header:{key, query}}</c> ('Name' alone matches any value). Checked against wrangler
    /// 4.164.0's own code (translateCLICommandToFilterMessage) and by tests/pester/Wrangler.Tests.ps1 ("wrangler tail"),
    /// which compares the bodies both send for the same options. Where we differ on purpose: methods are sent
    /// upper-cased (wrangler sends them as typed) and a sampling rate of 1 is accepted (wrangler refuses it as having no
    /// effect).
    /// </summary>
    public sealed class TailFilters
    {
        public static readonly IReadOnlyList<string> Statuses = new[] { "ok", "error", "canceled" };
        private static readonly string[] ErrorOutcomes = { "exception", "exceededCpu", "exceededMemory", "unknown" };

        public IReadOnlyList<string> Status { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> Method { get; set; } = Array.Empty<string>();
        public string? Header { get; set; }
        public IReadOnlyList<string> ClientIp { get; set; } = Array.Empty<string>();
        public string? Search { get; set; }
        /// <summary>0 &lt; rate ≤ 1; null sends no sampling filter (every event).</summary>
        public double? SamplingRate { get; set; }
        public string? VersionId { get; set; }

        /// <summary>The same filters with another sampling rate (the 10057 fallback halves it).</summary>
        public TailFilters WithSamplingRate(double rate) => new TailFilters
        {
            Status = Status, Method = Method, Header = Header, ClientIp = ClientIp, Search = Search, SamplingRate = rate, VersionId = VersionId,
        };

        /// <summary>Throws <see cref="TailFilterException"/> naming the parameter and the fix for the first bad value.</summary>
        public void Validate()
        {
            foreach (var status in Status)
                if (!Statuses.Contains(status?.Trim().ToLowerInvariant() ?? ""))
                    throw new TailFilterException("Status", $"'{status}' is not a tail status. Use ok, error or canceled (error covers exceptions and exceeded CPU or memory limits).");
            foreach (var method in Method)
                if (string.IsNullOrWhiteSpace(method) || !method.Trim().All(c => c < 128 && (char.IsLetter(c) || c == '-')))
                    throw new TailFilterException("Method", $"'{method}' is not an HTTP method. Give a method name such as GET or POST.");
            if (Header != null)
            {
                var colon = Header.IndexOf(':');
                var key = (colon < 0 ? Header : Header.Substring(0, colon)).Trim();
                if (key.Length == 0 || key.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0))
                    throw new TailFilterException("Header", $"'{Header}' is not a header filter. Use 'Name: value' to match a value, or 'Name' to match any request carrying that header.");
            }
            foreach (var ip in ClientIp)
                if (!string.Equals(ip?.Trim(), "self", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(ip?.Trim() ?? "", out _))
                    throw new TailFilterException("ClientIp", $"'{ip}' is not an IP address. Give an IPv4 or IPv6 address, or 'self' for this machine's address.");
            if (Search != null && Search.Length == 0)
                throw new TailFilterException("Search", "The search text is empty. Give the text to find in log messages, or leave -Search out.");
            if (SamplingRate.HasValue && (double.IsNaN(SamplingRate.Value) || SamplingRate.Value <= 0 || SamplingRate.Value > 1))
                throw new TailFilterException("SamplingRate", $"{SamplingRate.Value} is not a sampling rate. Give a fraction above 0 and at most 1 (0.1 keeps one event in ten).");
            if (VersionId != null && !Guid.TryParse(VersionId, out _))
                throw new TailFilterException("VersionId", $"'{VersionId}' is not a Worker version id. Give a version id (a GUID) as Get-CfWorkerVersion shows it.");
        }

        /// <summary>The API filter list, in wrangler's order; each element is a one-member object.</summary>
        public List<Dictionary<string, object>> ToApiFilters()
        {
            var filters = new List<Dictionary<string, object>>();
            if (SamplingRate.HasValue) filters.Add(new Dictionary<string, object> { ["sampling_rate"] = SamplingRate.Value });
            if (Status.Count > 0)
            {
                var outcomes = new List<string>();
                foreach (var status in Status.Select(s => s.Trim().ToLowerInvariant()))
                {
                    var add = status == "ok" ? new[] { "ok" } : status == "canceled" ? new[] { "canceled" } : ErrorOutcomes;
                    foreach (var outcome in add)
                        if (!outcomes.Contains(outcome)) outcomes.Add(outcome);
                }
                filters.Add(new Dictionary<string, object> { ["outcome"] = outcomes });
            }
            if (Method.Count > 0)
                filters.Add(new Dictionary<string, object> { ["method"] = Method.Select(m => m.Trim().ToUpperInvariant()).Distinct().ToList() });
            if (Header != null)
            {
                var colon = Header.IndexOf(':');
                var header = new Dictionary<string, object> { ["key"] = (colon < 0 ? Header : Header.Substring(0, colon)).Trim() };
                if (colon >= 0) header["query"] = Header.Substring(colon + 1).Trim();
                filters.Add(new Dictionary<string, object> { ["header"] = header });
            }
            if (ClientIp.Count > 0)
                filters.Add(new Dictionary<string, object> { ["client_ip"] = ClientIp.Select(ip => ip.Trim().Equals("self", StringComparison.OrdinalIgnoreCase) ? "self" : ip.Trim()).ToList() });
            if (Search != null) filters.Add(new Dictionary<string, object> { ["query"] = Search });
            if (VersionId != null) filters.Add(new Dictionary<string, object> { ["scriptVersion"] = VersionId });
            return filters;
        }
    }
}
