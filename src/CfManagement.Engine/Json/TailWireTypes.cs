using System;
using System.Collections.Generic;

namespace CfManagement.Json
{
    // Worker tails exactly as Cloudflare sends them (API-FACTS "Tail"; cf-trimmed.json workers_tail-response).

    internal sealed class WireTail
    {
        public string Id { get; set; } = "";
        public string? Url { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
    }

    /// <summary>The tail POST body: <c>{"filters":[{...}, ...]}</c>, each filter a one-member object.</summary>
    internal sealed class WireTailCreate
    {
        public List<Dictionary<string, object>> Filters { get; set; } = new List<Dictionary<string, object>>();
    }
}
