using System.Security;

namespace CfManagement.SecretSets
{
    /// <summary>What a change does to one secret.</summary>
    public enum SecretChangeKind
    {
        /// <summary>The target has no secret of that name yet.</summary>
        Add,
        /// <summary>The secret exists, and the ledger has no fingerprint of this value for it.</summary>
        Update,
        /// <summary>Delete the secret (null in the merge patch).</summary>
        Remove,
    }

    /// <summary>One secret to write (Value) or delete (Value null) on a target.</summary>
    internal sealed class SecretChange
    {
        public SecretChange(string name, SecureString? value, SecretChangeKind kind, string? fingerprint)
        {
            Name = name;
            Value = value;
            Kind = kind;
            Fingerprint = fingerprint;
        }

        public string Name { get; }
        public SecureString? Value { get; }
        public SecretChangeKind Kind { get; }
        /// <summary>What the ledger records once the change is applied (null for a removal).</summary>
        public string? Fingerprint { get; }
        public override string ToString() => $"{Kind} {Name}";
    }
}
