using System;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Access
{
    /// <summary>
    /// Ledger entries about Access service tokens, through the flow's <see cref="LedgerRecorder"/>: the token's id, name
    /// and expiry, and the scope <see cref="Scope"/> (the ledger's scope column says which kind of credential an entry
    /// is about). Never the client secret; the client id is not secret but is not recorded either (the id finds it).
    /// </summary>
    internal sealed class AccessLedger
    {
        /// <summary>The ledger's scope for an Access service token (API tokens record User or Account).</summary>
        public const string Scope = "AccessServiceToken";

        public AccessLedger(LedgerRecorder recorder) => Recorder = recorder;

        public LedgerRecorder Recorder { get; }

        /// <summary>Records; a ledger failure throws (for the steps before the secret is safe).</summary>
        public void Record(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfAccessServiceToken? token, string? tokenName = null,
            string? purpose = null, string? destination = null, string? detail = null, string? errorId = null, DateTimeOffset? expiresOn = null) =>
            Recorder.Record(kind, action, outcome, tokenId: token?.Id, tokenName: token?.Name ?? tokenName, purpose: purpose, destination: destination,
                detail: detail, errorId: errorId, expiresOn: token?.ExpiresAt ?? expiresOn, scopeName: Scope);

        /// <summary>Records; a ledger failure becomes a warning (where the secret is already safe or the error says it all).</summary>
        public void TryRecord(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfAccessServiceToken? token, string? tokenName = null,
            string? purpose = null, string? destination = null, string? detail = null, string? errorId = null) =>
            Recorder.TryRecord(kind, action, outcome, purpose: purpose, destination: destination, detail: detail, errorId: errorId,
                tokenName: token?.Name ?? tokenName, tokenId: token?.Id, expiresOn: token?.ExpiresAt, scopeName: Scope);
    }
}
