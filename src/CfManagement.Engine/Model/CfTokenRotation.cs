using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>The stages of a staged rotation (Invoke-CfTokenRotation), in order; None = nothing completed yet.</summary>
    public enum CfTokenRotationStage
    {
        None = 0,
        /// <summary>The current vault value verifies and the session can see the target.</summary>
        Verify = 1,
        /// <summary>Cloudflare issued the new value and it is stored in the vault (value + metadata + companions).</summary>
        Roll = 2,
        /// <summary>The new value was pushed to every registered consumer the module can write.</summary>
        Distribute = 3,
        /// <summary>The new value verifies and every consumer holds it: the rotation is complete.</summary>
        Validate = 4,
    }

    /// <summary>What Checkpoint-CfTokenRotation records about a stage (or one consumer of a stage).</summary>
    public enum CfTokenRotationStatus
    {
        /// <summary>The stage began; a rerun that finds it started but not completed decides from evidence (the roll).</summary>
        Started,
        Completed,
        Failed,
        /// <summary>Nothing to do for it (e.g. an external consumer the module cannot push to: it needs a manual update).</summary>
        Skipped,
    }

    /// <summary>Running (a stage may be under way or the run was interrupted), Failed (the last stage recorded failed), Completed.</summary>
    public enum CfTokenRotationState
    {
        Running,
        Failed,
        Completed,
    }

    /// <summary>One consumer's progress in a rotation: its destination and what the Distribute and Validate stages recorded for it.</summary>
    public sealed class CfTokenRotationConsumer
    {
        public CfTokenRotationConsumer(string destination, CfTokenRotationStatus? distribute, CfTokenRotationStatus? validate, string? errorId, string? detail, DateTimeOffset updatedOn)
        {
            Destination = destination;
            Distribute = distribute;
            Validate = validate;
            ErrorId = errorId;
            Detail = detail;
            UpdatedOn = updatedOn;
        }

        /// <summary>The consumer's destination (worker:script/NAME, secrets-store:store/NAME, pages:..., github:NAME, external:...).</summary>
        public string Destination { get; }
        /// <summary>The latest Distribute status of this consumer; null when not reached.</summary>
        public CfTokenRotationStatus? Distribute { get; }
        /// <summary>The latest Validate status of this consumer; null when not reached.</summary>
        public CfTokenRotationStatus? Validate { get; }
        /// <summary>The ErrorId of its latest failure, when its latest status is Failed.</summary>
        public string? ErrorId { get; }
        public string? Detail { get; }
        public DateTimeOffset UpdatedOn { get; }

        public override string ToString() => $"{Destination} distribute={Distribute?.ToString() ?? "-"} validate={Validate?.ToString() ?? "-"}";
    }

    /// <summary>
    /// A staged rotation as the ledger records it (Checkpoint-CfTokenRotation entries sharing one operation id, the
    /// rotation's <see cref="Id"/>): which credential, the last completed stage, per-consumer progress and state.
    /// Never holds a value.
    /// </summary>
    public sealed class CfTokenRotation
    {
        public CfTokenRotation(string id, string secretName, string vault, string kind, string? tokenId, CfTokenRotationStage stage,
            CfTokenRotationStage? pendingStage, DateTimeOffset? rollStartedOn, IReadOnlyList<CfTokenRotationConsumer> consumers,
            DateTimeOffset startedOn, DateTimeOffset updatedOn, CfTokenRotationState state, string? lastErrorId, string? lastError, int rolls)
        {
            Id = id;
            SecretName = secretName;
            Vault = vault;
            Kind = kind;
            TokenId = tokenId;
            Stage = stage;
            PendingStage = pendingStage;
            RollStartedOn = rollStartedOn;
            Consumers = consumers;
            StartedOn = startedOn;
            UpdatedOn = updatedOn;
            State = state;
            LastErrorId = lastErrorId;
            LastError = lastError;
            Rolls = rolls;
        }

        /// <summary>The rotation id (32 hex characters; the ledger operation id of its entries).</summary>
        public string Id { get; }
        /// <summary>The credential's vault secret name.</summary>
        public string SecretName { get; }
        public string Vault { get; }
        /// <summary>ApiToken, AccessServiceToken or Unknown.</summary>
        public string Kind { get; }
        /// <summary>The Cloudflare id of the API token or Access service token (null until known).</summary>
        public string? TokenId { get; }
        /// <summary>The last completed stage (None when none has completed).</summary>
        public CfTokenRotationStage Stage { get; }
        /// <summary>A stage recorded as started and not (yet) as completed or failed: where an interrupted run stopped.</summary>
        public CfTokenRotationStage? PendingStage { get; }
        /// <summary>When the roll stage was last started (the evidence a rerun weighs: a vault value issued after it is the rolled one).</summary>
        public DateTimeOffset? RollStartedOn { get; }
        public IReadOnlyList<CfTokenRotationConsumer> Consumers { get; }
        public DateTimeOffset StartedOn { get; }
        public DateTimeOffset UpdatedOn { get; }
        public CfTokenRotationState State { get; }
        public string? LastErrorId { get; }
        /// <summary>The message of the latest failure, while the rotation is Failed.</summary>
        public string? LastError { get; }
        /// <summary>
        /// Rolls of this token (Invoke-CfTokenRoll / Invoke-CfAccessServiceTokenRotate, as the ledger recorded them) from the
        /// rotation's start to its completion: 1 for a rotation that went right, however often it was resumed.
        /// </summary>
        public int Rolls { get; }
        public bool IsComplete => State == CfTokenRotationState.Completed;

        /// <summary>The consumers whose Distribute is not yet Completed or Skipped.</summary>
        public IEnumerable<string> PendingConsumers => Consumers
            .Where(c => c.Distribute != CfTokenRotationStatus.Completed && c.Distribute != CfTokenRotationStatus.Skipped)
            .Select(c => c.Destination);

        public override string ToString() => $"{SecretName} ({Vault}) {State} stage={Stage} id={Id}";
    }
}
