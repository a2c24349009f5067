using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;

namespace CfManagement.SecretSets
{
    /// <summary>What one batch came to: the changes applied, the ones that failed and why, and the requests it took.</summary>
    internal sealed class SecretBatchOutcome
    {
        public List<SecretChange> Applied { get; } = new List<SecretChange>();
        public List<(SecretChange Change, SecretSetFailure Failure, CloudflareApiException Error)> Failed { get; } =
            new List<(SecretChange, SecretSetFailure, CloudflareApiException)>();
        public int Requests { get; set; }
        /// <summary>A failure after which the target's remaining batches are not sent (see <see cref="SecretSetFailure.StopsTarget"/>).</summary>
        public (SecretSetFailure Failure, CloudflareApiException Error)? Stop { get; set; }
    }

    /// <summary>
    /// Sends changes to a target in batches of at most its limit, one request per batch. A batch the target calls too
    /// large (Cloudflare 100160: the limit is lower than we were told) is halved and each half sent, recursively, so
    /// only what was not applied is sent again. Transient failures (429, 5xx) are retried below, by the session's HTTP
    /// pipeline, which is safe because a merge patch is idempotent.
    /// </summary>
    internal static class SecretBatchApplier
    {
        public static IReadOnlyList<IReadOnlyList<SecretChange>> Split(IReadOnlyList<SecretChange> changes, int limit)
        {
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), "A batch limit is at least 1.");
            var batches = new List<IReadOnlyList<SecretChange>>();
            for (var i = 0; i < changes.Count; i += limit)
                batches.Add(changes.Skip(i).Take(limit).ToList());
            return batches;
        }

        public static async Task<SecretBatchOutcome> ApplyAsync(ISecretSetTarget target, IReadOnlyList<SecretChange> batch, CancellationToken ct)
        {
            var outcome = new SecretBatchOutcome();
            await ApplyIntoAsync(target, batch, outcome, ct).ConfigureAwait(false);
            return outcome;
        }

        private static async Task ApplyIntoAsync(ISecretSetTarget target, IReadOnlyList<SecretChange> batch, SecretBatchOutcome outcome, CancellationToken ct)
        {
            if (batch.Count == 0) return;
            if (outcome.Stop is { } stop)
            {
                foreach (var change in batch) outcome.Failed.Add((change, stop.Failure, stop.Error));
                return;
            }
            try
            {
                outcome.Requests++;
                await target.ApplyAsync(batch, ct).ConfigureAwait(false);
                outcome.Applied.AddRange(batch);
            }
            catch (CloudflareApiException ex) when (target.IsBatchTooLarge(ex) && batch.Count > 1)
            {
                var half = (batch.Count + 1) / 2;
                await ApplyIntoAsync(target, batch.Take(half).ToList(), outcome, ct).ConfigureAwait(false);
                await ApplyIntoAsync(target, batch.Skip(half).ToList(), outcome, ct).ConfigureAwait(false);
            }
            catch (CloudflareApiException ex)
            {
                var failure = target.Describe(ex);
                foreach (var change in batch) outcome.Failed.Add((change, failure, ex));
                if (failure.StopsTarget) outcome.Stop = (failure, ex);
            }
        }
    }
}
