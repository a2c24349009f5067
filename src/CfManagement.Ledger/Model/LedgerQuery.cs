using System;

namespace CfManagement.Ledger;

/// <summary>Filters for <see cref="ILedger.QueryAsync"/>; null means "any". All set filters must match.</summary>
public sealed class LedgerQuery
{
    public LedgerEntryKind? Kind { get; set; }
    public string? TokenId { get; set; }
    /// <summary>PowerShell-style wildcard (* and ?, ` escapes), case-insensitive like PowerShell.</summary>
    public string? TokenName { get; set; }
    public string? Purpose { get; set; }
    public string? OperationId { get; set; }
    public LedgerOutcome? Outcome { get; set; }
    /// <summary>Inclusive lower bound on the entry timestamp.</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>Inclusive upper bound on the entry timestamp.</summary>
    public DateTimeOffset? Until { get; set; }
    /// <summary>Only the newest N matching entries (still returned oldest first).</summary>
    public int? Last { get; set; }
}
