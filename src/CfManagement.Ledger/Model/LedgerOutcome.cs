namespace CfManagement.Ledger;

/// <summary>How a recorded step ended. Stored by name, so never rename members.</summary>
public enum LedgerOutcome
{
    Succeeded,
    Failed,
    RolledBack,
    Pending,
    Skipped,
}
