using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace CfManagement.Http
{
    /// <summary>A server's rate-limit policy: at most <see cref="Quota"/> requests per <see cref="Window"/>.</summary>
    internal sealed class RateLimitPolicy
    {
        public RateLimitPolicy(int quota, TimeSpan window)
        {
            Quota = quota;
            Window = window;
        }

        public int Quota { get; }
        public TimeSpan Window { get; }
    }

    /// <summary>What one answer said about the rate limit: the quota left, when it resets, and the policies.</summary>
    internal sealed class RateLimitInfo
    {
        public int? Remaining { get; set; }
        public TimeSpan? Reset { get; set; }
        public List<RateLimitPolicy> Policies { get; } = new List<RateLimitPolicy>();
    }

    /// <summary>
    /// Reads the rate-limit headers leniently (pure: no clock, no I/O). Cloudflare sends the IETF draft's form,
    /// <c>Ratelimit: "default";r=50;t=30</c> and <c>Ratelimit-Policy: "burst";q=100;w=60</c>; several comma-separated
    /// items are allowed and the tightest one counts. The older draft's <c>RateLimit-Limit: 100</c> (or
    /// <c>100, 100;w=60</c>), <c>RateLimit-Remaining: 50</c>, <c>RateLimit-Reset: 30</c> and the combined
    /// <c>RateLimit: limit=100, remaining=50, reset=30</c> are read too. Anything unreadable is ignored.
    /// </summary>
    internal static class RateLimitHeaders
    {
        public static RateLimitInfo? Read(HttpResponseMessage response)
        {
            var info = new RateLimitInfo();
            var any = false;

            foreach (var value in Values(response, "RateLimit"))
            {
                // The combined older form separates its parameters with commas: read it as one item.
                var items = value.IndexOf("remaining=", StringComparison.OrdinalIgnoreCase) >= 0 ? new[] { value.Replace(',', ';') } : SplitItems(value);
                foreach (var item in items)
                {
                    var p = Parameters(item);
                    var r = Int(p, "r") ?? Int(p, "remaining");
                    var t = Int(p, "t") ?? Int(p, "reset");
                    if (r.HasValue && (info.Remaining == null || r < info.Remaining))
                    {
                        info.Remaining = r;
                        info.Reset = t.HasValue ? TimeSpan.FromSeconds(t.Value) : (TimeSpan?)null;
                        any = true;
                    }
                    var limit = Int(p, "limit");
                    if (limit.HasValue && Int(p, "w") is int w && w > 0) { info.Policies.Add(new RateLimitPolicy(limit.Value, TimeSpan.FromSeconds(w))); any = true; }
                }
            }

            foreach (var value in Values(response, "RateLimit-Policy"))
                foreach (var item in SplitItems(value))
                {
                    var p = Parameters(item);
                    var q = Int(p, "q") ?? LeadingInt(item);
                    var w = Int(p, "w");
                    if (q is int quota && quota > 0 && w is int seconds && seconds > 0)
                    {
                        info.Policies.Add(new RateLimitPolicy(quota, TimeSpan.FromSeconds(seconds)));
                        any = true;
                    }
                }

            // The older draft: separate headers.
            if (info.Remaining == null && FirstInt(response, "RateLimit-Remaining") is int remaining)
            {
                info.Remaining = remaining;
                info.Reset = FirstInt(response, "RateLimit-Reset") is int reset ? TimeSpan.FromSeconds(reset) : (TimeSpan?)null;
                any = true;
            }
            foreach (var value in Values(response, "RateLimit-Limit"))
                foreach (var item in SplitItems(value))
                    if (LeadingInt(item) is int quota && quota > 0 && Int(Parameters(item), "w") is int w && w > 0)
                    {
                        info.Policies.Add(new RateLimitPolicy(quota, TimeSpan.FromSeconds(w)));
                        any = true;
                    }

            return any ? info : null;
        }

        private static IEnumerable<string> Values(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values : Enumerable.Empty<string>();

        private static int? FirstInt(HttpResponseMessage response, string name) =>
            Values(response, name).Select(v => LeadingInt(v.Split(',')[0])).FirstOrDefault(v => v.HasValue);

        /// <summary>Items of a structured-field list, split on commas outside quotes.</summary>
        private static IEnumerable<string> SplitItems(string value)
        {
            var start = 0;
            var quoted = false;
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '"') quoted = !quoted;
                else if (value[i] == ',' && !quoted)
                {
                    yield return value.Substring(start, i - start);
                    start = i + 1;
                }
            }
            yield return value.Substring(start);
        }

        /// <summary>The key=value parameters of one item (<c>"name";r=1;t=2</c>, or <c>limit=1, remaining=2</c> forms), keys lower-cased.</summary>
        private static Dictionary<string, string> Parameters(string item)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in item.Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0) continue;
                var key = part.Substring(0, eq).Trim();
                var val = part.Substring(eq + 1).Trim().Trim('"');
                if (!result.ContainsKey(key)) result[key] = val;
            }
            return result;
        }

        private static int? Int(Dictionary<string, string> parameters, string key) =>
            parameters.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;

        private static int? LeadingInt(string item)
        {
            var head = item.Split(';')[0].Trim();
            return int.TryParse(head, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }
    }
}
