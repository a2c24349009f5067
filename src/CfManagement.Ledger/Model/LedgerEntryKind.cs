namespace CfManagement.Ledger;

/// <summary>What kind of event a ledger entry records. Stored by name, so never renumber or rename members.</summary>
public enum LedgerEntryKind
{
    ManagedToken,
    Rotation,
    HealthCheck,
    Repair,
    Cleanup,
    Revocation,
    /// <summary>A credential created outside the managed-token registry (New-CfAccessServiceToken).</summary>
    Creation,
}
