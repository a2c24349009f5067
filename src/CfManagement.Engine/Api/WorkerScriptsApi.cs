using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>The account's Worker scripts (<c>GET /accounts/{id}/workers/scripts</c>, one unpaged list).</summary>
    public sealed class WorkerScriptsApi
    {
        private readonly CloudflareClient _client;

        public WorkerScriptsApi(CloudflareClient client) => _client = client;

        public static string ScriptsPath(string accountId) => $"accounts/{accountId}/workers/scripts";

        /// <summary>The path of one script; the name is escaped although valid names need no escaping.</summary>
        public static string ScriptPath(string accountId, string script) => $"{ScriptsPath(accountId)}/{Uri.EscapeDataString(script)}";

        /// <summary>
        /// Every script, optionally filtered by tags in the API's own syntax (<c>prod:yes,legacy:no</c>: with the
        /// first tag and without the second). A read, so retried.
        /// </summary>
        public async Task<IReadOnlyList<CfWorker>> ListAsync(string accountId, string? tagFilter, CancellationToken cancellationToken)
        {
            var query = string.IsNullOrEmpty(tagFilter) ? null : new Dictionary<string, string> { ["tags"] = tagFilter! };
            var (wire, _) = await _client.GetAsync<List<WireWorkerScript>>(ScriptsPath(accountId), cancellationToken, query).ConfigureAwait(false);
            return (wire ?? new List<WireWorkerScript>()).Select(w => WorkerWireMapper.ToWorker(w, accountId)).ToList();
        }
    }
}
