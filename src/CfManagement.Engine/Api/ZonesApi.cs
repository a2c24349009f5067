using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    public sealed class ZonesApi
    {
        private readonly CloudflareClient _client;

        public ZonesApi(CloudflareClient client) => _client = client;

        /// <summary>One page of zones, optionally only the zone with an exact <paramref name="name"/> or of one account.</summary>
        public Task<ApiPage<CfZone>> ListPageAsync(string? name, string? accountId, int page, CancellationToken cancellationToken)
        {
            var query = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(name)) query["name"] = name!;
            if (!string.IsNullOrEmpty(accountId)) query["account.id"] = accountId!;
            return _client.GetPageAsync<WireZone, CfZone>("zones", page, ToZone, cancellationToken, query);
        }

        public async Task<CfZone> GetAsync(string id, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireZone>($"zones/{id}", cancellationToken).ConfigureAwait(false);
            return ToZone(wire);
        }

        private static CfZone ToZone(WireZone w) => new CfZone(w.Id, w.Name ?? "", w.Status ?? "", w.Account?.Id, w.Account?.Name);
    }
}
