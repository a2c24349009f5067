using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// A Worker script's secrets as a secret set: batches go through PATCH .../secrets-bulk (at most 100 per request,
    /// the limit wrangler uses; Cloudflare's 100160 makes the engine split further), or, with single puts (-NoBulk),
    /// one PUT or DELETE per secret.
    /// </summary>
    internal sealed class WorkerSecretSetTarget : ISecretSetTarget
    {
        public const int BulkLimit = 100;
        private readonly WorkersApi _workers;
        private readonly string _accountId;
        private readonly bool _singlePuts;

        public WorkerSecretSetTarget(WorkersApi workers, string accountId, string script, bool singlePuts)
        {
            _workers = workers;
            _accountId = accountId;
            Script = script;
            _singlePuts = singlePuts;
        }

        public string Script { get; }
        public string Target => TargetOf(Script);
        public int BatchLimit => _singlePuts ? 1 : BulkLimit;

        public static string TargetOf(string script) => "worker:" + script;

        public async Task<IReadOnlyList<SecretListing>> ListAsync(CancellationToken ct) =>
            (await _workers.ListSecretsAsync(_accountId, Script, ct).ConfigureAwait(false)).Select(s => new SecretListing(s.Name, s.Type)).ToList();

        public async Task ApplyAsync(IReadOnlyList<SecretChange> batch, CancellationToken ct)
        {
            if (!_singlePuts)
            {
                await _workers.PatchSecretsBulkAsync(_accountId, Script, ToPatch(batch), ct).ConfigureAwait(false);
                return;
            }
            foreach (var change in batch)
            {
                if (change.Value != null)
                {
                    await _workers.PutSecretAsync(_accountId, Script, change.Name, change.Value, ct).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    await _workers.DeleteSecretAsync(_accountId, Script, change.Name, ct).ConfigureAwait(false);
                }
                catch (CloudflareApiException ex) when (IsSecretGone(ex))
                {
                    // already absent: the end state a removal wants
                }
            }
        }

        public static IReadOnlyList<KeyValuePair<string, SecureString?>> ToPatch(IEnumerable<SecretChange> changes) =>
            changes.Select(c => new KeyValuePair<string, SecureString?>(c.Name, c.Value)).ToList();

        public bool IsBatchTooLarge(CloudflareApiException failure) => failure.HasCode(100160);

        public SecretSetFailure Describe(CloudflareApiException failure) => DescribeFailure(failure, Script);

        /// <summary>The Worker reading of a failed secret call, shared by the bulk, single and version paths.</summary>
        public static SecretSetFailure DescribeFailure(CloudflareApiException failure, string script)
        {
            if (IsGradualDeployment(failure))
                return new SecretSetFailure(ErrorIds.WorkerSecretNeedsNewVersion, ErrorCategory.InvalidOperation,
                    $"Cloudflare refused the change because the latest version of '{script}' is not deployed (a gradual deployment); rerun with -NewVersion to make the change in a new version. {failure.Message}",
                    $"Rerun with -NewVersion to put the change in a new version (not deployed), then roll it out with Set-CfWorkerDeployment -Script {script}.",
                    stopsTarget: true);
            if (IsScriptMissing(failure))
                return new SecretSetFailure(ErrorIds.WorkerScriptNotFound, ErrorCategory.ObjectNotFound,
                    $"The Worker script '{script}' does not exist in this account; check the name, or add -CreateIfMissing to create a draft Worker first. {failure.Message}",
                    "Check the name (Get-CfWorker lists the scripts), or add -CreateIfMissing to create a draft Worker first, as wrangler does.",
                    stopsTarget: true);
            if (failure.HasCode(10222))
                return new SecretSetFailure(ErrorIds.WorkerHasNoVersion, ErrorCategory.InvalidOperation,
                    $"The Worker script '{script}' has no version to change: {failure.Message}",
                    "Upload a version first (Publish-CfWorker), then retry.", stopsTarget: true);
            var (errorId, category) = ApiErrorMapper.Classify(failure);
            var status = failure.StatusCode.HasValue ? (int)failure.StatusCode.Value : 0;
            return new SecretSetFailure(errorId, category, failure.Message,
                ApiErrorMapper.ToErrorRecord(failure, script).ErrorDetails?.RecommendedAction ?? "Correct the request and retry.",
                stopsTarget: status == 401 || status == 403);
        }

        public static bool IsGradualDeployment(CloudflareApiException failure) => failure.HasCode(10215) || failure.HasCode(10214);

        public static bool IsScriptMissing(CloudflareApiException failure) => failure.HasCode(10007) || failure.HasCode(10090);

        /// <summary>A 404 about the secret (10056), not about the script.</summary>
        public static bool IsSecretGone(CloudflareApiException failure) =>
            failure.StatusCode.HasValue && (int)failure.StatusCode.Value == 404 && !IsScriptMissing(failure);
    }
}
