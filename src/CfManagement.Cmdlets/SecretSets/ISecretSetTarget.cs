using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// A place that holds a set of named secrets and takes batched changes: a Worker script (secrets-bulk), a Pages
    /// project environment (the project PATCH). The engine (<see cref="SecretSetPlanner"/>, <see cref="SecretBatchApplier"/>)
    /// decides what to send, splits and reports; the target only speaks its API.
    /// </summary>
    internal interface ISecretSetTarget
    {
        /// <summary>Stable name of the target, e.g. "worker:my-script" or "pages:site/production": shown in results and keyed in the ledger's fingerprints.</summary>
        string Target { get; }

        /// <summary>The most changes one <see cref="ApplyAsync"/> may carry.</summary>
        int BatchLimit { get; }

        /// <summary>The secrets the target holds now (names and types).</summary>
        Task<IReadOnlyList<SecretListing>> ListAsync(CancellationToken ct);

        /// <summary>Applies the batch in one request, all or nothing (a value sets, null deletes). Failures throw <see cref="CloudflareApiException"/>.</summary>
        Task ApplyAsync(IReadOnlyList<SecretChange> batch, CancellationToken ct);

        /// <summary>True when the failure means "too many in one request" (the engine then splits the batch and retries only what was not applied).</summary>
        bool IsBatchTooLarge(CloudflareApiException failure);

        /// <summary>The target's own reading of a failure: ErrorId, category, the reason shown per secret and what to do.</summary>
        SecretSetFailure Describe(CloudflareApiException failure);
    }
}
