using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;

namespace CfManagement.Api
{
    /// <summary>Worker script secrets: names can be listed, values only written.</summary>
    public sealed class WorkersApi
    {
        private readonly CloudflareClient _client;

        public WorkersApi(CloudflareClient client) => _client = client;

        private static string SecretsPath(string accountId, string script) => $"accounts/{accountId}/workers/scripts/{Uri.EscapeDataString(script)}/secrets";

        /// <summary>Writes a secret. Putting the same value twice is harmless, so the call is retried like a read.</summary>
        public Task PutSecretAsync(string accountId, string script, string name, SecureString value, CancellationToken cancellationToken)
        {
            // The plain text exists only inside this request body, built at the last moment; bodies are never logged.
            var body = new Dictionary<string, string> { ["name"] = name, ["text"] = SecureStringReader.ToPlainText(value), ["type"] = "secret_text" };
            return _client.SendAsync<WireSecretBinding>(HttpMethod.Put, SecretsPath(accountId, script), body, idempotent: true, cancellationToken);
        }

        public Task DeleteSecretAsync(string accountId, string script, string name, CancellationToken cancellationToken) =>
            _client.SendAsync<object>(HttpMethod.Delete, $"{SecretsPath(accountId, script)}/{Uri.EscapeDataString(name)}", null, idempotent: true,
                cancellationToken, query: new Dictionary<string, string> { ["url_encoded"] = "true" });

        public async Task<IReadOnlyList<string>> ListSecretNamesAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<List<WireSecretBinding>>(SecretsPath(accountId, script), cancellationToken).ConfigureAwait(false);
            return (wire ?? new List<WireSecretBinding>()).Select(s => s.Name).ToList();
        }
    }
}
