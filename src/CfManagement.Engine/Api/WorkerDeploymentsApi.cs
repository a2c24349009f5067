using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>Which versions of a Worker serve its traffic (<c>.../workers/scripts/{name}/deployments</c>).</summary>
    public sealed class WorkerDeploymentsApi
    {
        private readonly CloudflareClient _client;

        public WorkerDeploymentsApi(CloudflareClient client) => _client = client;

        private static string DeploymentsPath(string accountId, string script) => WorkerScriptsApi.ScriptPath(accountId, script) + "/deployments";

        /// <summary>The deployments, the one serving traffic first (as Cloudflare orders them); empty when never deployed.</summary>
        public async Task<IReadOnlyList<CfWorkerDeployment>> ListAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireDeploymentList>(DeploymentsPath(accountId, script), cancellationToken).ConfigureAwait(false);
            return (wire?.Deployments ?? new List<WireDeployment>()).Select((d, i) => WorkerWireMapper.ToDeployment(d, script, i == 0)).ToList();
        }

        /// <summary>
        /// Sends a new deployment: the whole traffic split, one or two versions summing to 100 (checked by the caller).
        /// Retried like a read although it is a POST: the body states the complete split, not a change to it, so a
        /// repeat after a lost answer leaves traffic exactly as the first attempt would have; the only trace of a
        /// repeat is one more identical entry in the deployment history. With <paramref name="force"/> the same
        /// holds (force only lifts the block on rolling back past a secret change). What a repeat can do is
        /// overwrite a deployment someone else made in the seconds between the attempts, which a late first attempt
        /// would have done too.
        /// </summary>
        public async Task<CfWorkerDeployment> CreateAsync(string accountId, string script, IReadOnlyList<CfWorkerTraffic> split, string? message,
            bool force, CancellationToken cancellationToken)
        {
            var body = new WireDeploymentRequest
            {
                Versions = split.Select(v => new WireDeploymentVersion { VersionId = v.VersionId, Percentage = v.Percentage }).ToList(),
                Annotations = string.IsNullOrEmpty(message) ? null : new WireDeploymentAnnotations { Message = message },
            };
            var query = force ? new Dictionary<string, string> { ["force"] = "true" } : null;
            var (wire, _) = await _client.SendAsync<WireDeployment>(HttpMethod.Post, DeploymentsPath(accountId, script), body,
                idempotent: true, cancellationToken, query: query).ConfigureAwait(false);
            return WorkerWireMapper.ToDeployment(wire, script, isCurrent: true);
        }
    }
}
