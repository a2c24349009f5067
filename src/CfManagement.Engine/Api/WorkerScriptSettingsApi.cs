using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>
    /// A Worker's script-level settings (<c>.../workers/scripts/{name}/script-settings</c>): logpush, tail consumers,
    /// observability and tags, applied at once without a new version. Never <c>/settings</c>: a PATCH there makes a
    /// new version from the latest and deploys it, and fails with 10214 while a gradual deployment is running.
    /// </summary>
    public sealed class WorkerScriptSettingsApi
    {
        private readonly CloudflareClient _client;

        public WorkerScriptSettingsApi(CloudflareClient client) => _client = client;

        private static string SettingsPath(string accountId, string script) => WorkerScriptsApi.ScriptPath(accountId, script) + "/script-settings";

        public async Task<IReadOnlyList<CfWorkerTailConsumer>> GetTailConsumersAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireScriptSettings>(SettingsPath(accountId, script), cancellationToken).ConfigureAwait(false);
            return WorkerWireMapper.ToTailConsumers(script, wire?.TailConsumers);
        }

        /// <summary>
        /// Replaces the whole tail-consumer list (the PATCH carries only <c>tail_consumers</c>, so the other settings
        /// stay). The body is the complete list, not a change to it, so a repeat sets the same list: retried like a read.
        /// </summary>
        public async Task<IReadOnlyList<CfWorkerTailConsumer>> SetTailConsumersAsync(string accountId, string script,
            IEnumerable<CfWorkerTailConsumer> consumers, CancellationToken cancellationToken)
        {
            var body = new WireTailConsumersPatch { TailConsumers = WorkerWireMapper.ToWire(consumers) };
            var (wire, _) = await _client.SendAsync<WireScriptSettings>(new HttpMethod("PATCH"), SettingsPath(accountId, script), body,
                idempotent: true, cancellationToken).ConfigureAwait(false);
            return WorkerWireMapper.ToTailConsumers(script, wire?.TailConsumers);
        }
    }
}
