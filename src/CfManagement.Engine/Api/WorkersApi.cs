using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;
using CfManagement.Model;

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

        public async Task<IReadOnlyList<string>> ListSecretNamesAsync(string accountId, string script, CancellationToken cancellationToken) =>
            (await ListSecretsAsync(accountId, script, cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToList();

        /// <summary>Names and types of the script's secrets (values are never returned).</summary>
        public async Task<IReadOnlyList<CfWorkerSecret>> ListSecretsAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<List<WireSecretBinding>>(SecretsPath(accountId, script), cancellationToken).ConfigureAwait(false);
            return (wire ?? new List<WireSecretBinding>()).Select(s => new CfWorkerSecret(script, s.Name, s.Type ?? "secret_text")).ToList();
        }

        /// <summary>The merge-patch media type secrets-bulk and versions/latest take (RFC 7396).</summary>
        public const string MergePatchContentType = "application/merge-patch+json";

        /// <summary>
        /// Applies many secret changes in one all-or-nothing request (a value sets, null deletes). Idempotent: a merge
        /// patch states the end result (these names hold these values, those are absent), so repeating it after a lost
        /// answer or a 5xx lands in the same state; deleting an absent secret is a no-op on Cloudflare's side.
        /// </summary>
        public Task PatchSecretsBulkAsync(string accountId, string script, IReadOnlyList<KeyValuePair<string, SecureString?>> changes, CancellationToken cancellationToken)
        {
            var secrets = new Dictionary<string, object?>(StringComparer.Ordinal);
            // Plain text exists only inside this body, built at the last moment; bodies are never logged.
            foreach (var change in changes)
                secrets[change.Key] = change.Value == null
                    ? null
                    : new Dictionary<string, string> { ["name"] = change.Key, ["text"] = SecureStringReader.ToPlainText(change.Value), ["type"] = "secret_text" };
            return _client.SendAsync<object>(new HttpMethod("PATCH"), $"{SecretsPath(accountId, script)}-bulk", new Dictionary<string, object> { ["secrets"] = secrets },
                idempotent: true, cancellationToken, contentType: MergePatchContentType);
        }

        /// <summary>
        /// Makes a new version from the latest one with these secrets changed (null deletes), as `wrangler versions secret
        /// put|bulk|delete` does; the version is not deployed. NOT idempotent: every call mints another version, so a
        /// lost answer must not be repeated blindly.
        /// </summary>
        public async Task<CfWorkerVersionRef> PatchLatestVersionSecretsAsync(string accountId, string script, IReadOnlyList<KeyValuePair<string, SecureString?>> changes,
            string message, CancellationToken cancellationToken)
        {
            var env = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var change in changes)
                env[change.Key] = change.Value == null
                    ? null
                    : new Dictionary<string, string> { ["type"] = "secret_text", ["text"] = SecureStringReader.ToPlainText(change.Value) };
            var body = new Dictionary<string, object>
            {
                ["env"] = env,
                ["annotations"] = new Dictionary<string, string> { ["workers/message"] = message },
            };
            var (result, _) = await _client.SendAsync<WireVersionRef>(new HttpMethod("PATCH"), $"accounts/{accountId}/workers/workers/{Uri.EscapeDataString(script)}/versions/latest",
                body, idempotent: false, cancellationToken, contentType: MergePatchContentType).ConfigureAwait(false);
            return new CfWorkerVersionRef(script, result?.Id ?? "", result?.Etag);
        }

        /// <summary>
        /// The draft Worker wrangler creates when a secret is put on a script that does not exist: one ES module that
        /// answers nothing, no bindings. Idempotent: it is only sent after Cloudflare said the script is missing, and
        /// sending the same draft twice leaves the same draft.
        /// </summary>
        public Task CreateDraftScriptAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            const string MainModule = "index.js";
            var content = new MultipartFormDataContent();
            var metadata = new StringContent("{\"main_module\":\"" + MainModule + "\",\"bindings\":[]}", System.Text.Encoding.UTF8, "application/json");
            content.Add(metadata, "metadata");
            var module = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("export default {};\n"));
            module.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/javascript+module");
            content.Add(module, MainModule, MainModule);
            return _client.SendAsync<object>(HttpMethod.Put, $"accounts/{accountId}/workers/scripts/{Uri.EscapeDataString(script)}", content, idempotent: true, cancellationToken);
        }
    }
}
