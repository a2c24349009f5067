namespace CfManagement.SecretSets
{
    /// <summary>How one secret fared.</summary>
    public enum SecretResultStatus
    {
        /// <summary>Cloudflare accepted the change.</summary>
        Applied,
        /// <summary>Nothing was sent: the ledger's fingerprint says the target already holds this value (or the secret is already absent).</summary>
        Unchanged,
        /// <summary>The change was refused or not sent; Reason says why.</summary>
        Failed,
    }

    /// <summary>One result per secret of a Set or Sync: what was to change, what happened, and why it failed. Never a value.</summary>
    public sealed class CfSecretResult
    {
        internal CfSecretResult(string target, string name, SecretChangeKind? change, SecretResultStatus status, string? reason = null,
            string? errorId = null, string? versionId = null)
        {
            Target = target;
            Name = name;
            Change = change;
            Status = status;
            Reason = reason;
            ErrorId = errorId;
            VersionId = versionId;
        }

        /// <summary>worker:&lt;script&gt; (or pages:&lt;project&gt;/&lt;environment&gt;).</summary>
        public string Target { get; }
        public string Name { get; }
        /// <summary>Add, Update or Remove; null when Unchanged.</summary>
        public SecretChangeKind? Change { get; }
        public SecretResultStatus Status { get; }
        public string? Reason { get; }
        public string? ErrorId { get; }
        /// <summary>The new Worker version that carries the change (-NewVersion); not deployed.</summary>
        public string? VersionId { get; }
        public override string ToString() => $"{Target}/{Name}: {Status}{(Change.HasValue ? " (" + Change + ")" : "")}";
    }
}
