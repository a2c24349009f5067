using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>A Worker's uploaded versions, newest first (<c>.../workers/scripts/{name}/versions</c>). Reads only.</summary>
    public sealed class WorkerVersionsApi
    {
        /// <summary>Versions per page when listing them all.</summary>
        public const int PageSize = 50;

        private readonly CloudflareClient _client;

        public WorkerVersionsApi(CloudflareClient client) => _client = client;

        private static string VersionsPath(string accountId, string script) => WorkerScriptsApi.ScriptPath(accountId, script) + "/versions";

        /// <summary>
        /// One page of versions. With <paramref name="deployableOnly"/> Cloudflare ignores paging and returns every
        /// deployable version at once, so that is always a single page. The result is <c>{items: [...]}</c> without a
        /// page count, so a full page means another may follow.
        /// </summary>
        public async Task<ApiPage<CfWorkerVersion>> ListPageAsync(string accountId, string script, int page, bool deployableOnly, CancellationToken cancellationToken)
        {
            var query = new Dictionary<string, string>();
            if (deployableOnly) query["deployable"] = "true";
            else
            {
                query["page"] = page.ToString(CultureInfo.InvariantCulture);
                query["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture);
            }
            var (wire, _) = await _client.GetAsync<WireVersionList>(VersionsPath(accountId, script), cancellationToken, query).ConfigureAwait(false);
            var items = (wire?.Items ?? new List<WireWorkerVersion>()).Select(v => WorkerWireMapper.ToVersion(v, script)).ToList();
            var last = deployableOnly || items.Count < PageSize;
            // No total is given: the count so far stands in for it (progress only).
            return new ApiPage<CfWorkerVersion>(items, page, last ? page : page + 1, (page - 1) * PageSize + items.Count);
        }

        /// <summary>One version with its bindings (names and types) and runtime settings.</summary>
        public async Task<CfWorkerVersion> GetAsync(string accountId, string script, string versionId, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireWorkerVersion>($"{VersionsPath(accountId, script)}/{versionId}", cancellationToken).ConfigureAwait(false);
            return WorkerWireMapper.ToVersion(wire, script);
        }
    }
}
