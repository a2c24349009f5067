using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;
using CfManagement.Workers.Upload;

namespace CfManagement.Api
{
    /// <summary>
    /// Worker uploads, as <c>wrangler deploy --no-bundle</c> and <c>wrangler versions upload</c> send them: the multipart
    /// body of <see cref="WorkerUploadForm"/> with wrangler's query (<c>bindings_inherit=strict</c>; the PUT also
    /// <c>excludeScript=true</c>, so the answer does not echo the code).
    /// </summary>
    public sealed class WorkerUploadApi
    {
        private readonly CloudflareClient _client;

        public WorkerUploadApi(CloudflareClient client) => _client = client;

        private static string ScriptPath(string accountId, string script) => $"accounts/{accountId}/workers/scripts/{System.Uri.EscapeDataString(script)}";

        /// <summary>
        /// Uploads and deploys (PUT). Idempotent: the PUT replaces the script with exactly this body, so a repeat after a
        /// lost answer ends in the same deployed code and bindings (at most one more identical version in the history).
        /// </summary>
        public async Task<CfWorkerUpload> UploadScriptAsync(string accountId, WorkerUpload upload, WorkerUploadForm form, string? environment, CancellationToken cancellationToken)
        {
            var query = new Dictionary<string, string> { ["excludeScript"] = "true", ["bindings_inherit"] = "strict" };
            var (wire, _) = await _client.SendAsync<WireScriptUploadResult>(HttpMethod.Put, ScriptPath(accountId, upload.ScriptName), form.ToContent(),
                idempotent: true, cancellationToken, query: query).ConfigureAwait(false);
            return Describe(upload, form, environment, versionOnly: false, Hyphenate(wire?.DeploymentId), null, wire?.Etag, wire?.StartupTimeMs);
        }

        /// <summary>
        /// Uploads a version without deploying it (POST .../versions). Not idempotent: a repeat after a lost answer would
        /// make a second version whose id nobody was given, so only a 429 (not processed) is retried.
        /// </summary>
        public async Task<CfWorkerUpload> UploadVersionAsync(string accountId, WorkerUpload upload, WorkerUploadForm form, string? environment, CancellationToken cancellationToken)
        {
            var query = new Dictionary<string, string> { ["bindings_inherit"] = "strict" };
            var (wire, _) = await _client.SendAsync<WireVersionUploadResult>(HttpMethod.Post, ScriptPath(accountId, upload.ScriptName) + "/versions", form.ToContent(),
                idempotent: false, cancellationToken, query: query).ConfigureAwait(false);
            return Describe(upload, form, environment, versionOnly: true, wire?.Id, wire?.Number, wire?.Resources?.Script?.Etag, wire?.StartupTimeMs);
        }

        /// <summary>The result object, or with no answer (-WhatIf) the description of what would be sent.</summary>
        public static CfWorkerUpload Describe(WorkerUpload upload, WorkerUploadForm form, string? environment, bool versionOnly,
            string? versionId = null, long? versionNumber = null, string? etag = null, double? startupTimeMs = null) =>
            new CfWorkerUpload(upload.ScriptName, environment, versionOnly, versionId, versionNumber, etag, startupTimeMs, upload.CompatibilityDate,
                upload.Modules.Select(m => new CfWorkerModuleInfo(m.Name, m.ContentType, m.Size)).ToList(),
                upload.Bindings.Select(b => new CfWorkerBindingInfo(b.Name, b.Type, TargetOf(b))).ToList(),
                upload.KeepBindings, form.Body.LongLength);

        private static string? TargetOf(WorkerBinding binding)
        {
            foreach (var key in new[] { "namespace_id", "id", "bucket_name", "service", "class_name", "queue_name", "dataset", "secret_name" })
            {
                var value = binding.Field(key);
                if (value != null && value.GetValueKind() == JsonValueKind.String)
                    return key == "secret_name" ? $"{binding.Field("store_id")}/{value.GetValue<string>()}" : value.GetValue<string>();
            }
            return null;
        }

        /// <summary>Cloudflare may answer a version id without hyphens (wrangler's parseNonHyphenedUuid); show it as a UUID.</summary>
        internal static string? Hyphenate(string? id)
        {
            if (id == null || id.Length != 32 || id.Any(c => !System.Uri.IsHexDigit(c))) return id;
            return $"{id.Substring(0, 8)}-{id.Substring(8, 4)}-{id.Substring(12, 4)}-{id.Substring(16, 4)}-{id.Substring(20)}";
        }
    }
}
