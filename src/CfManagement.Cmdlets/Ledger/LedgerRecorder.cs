using System;
using CfManagement.Commands.Base;
using CfManagement.Model;

namespace CfManagement.Ledger
{
    /// <summary>
    /// Records the steps of one flow (one operation id) in the ledger. Only metadata is written; the ledger's own
    /// SecretGuard refuses anything that looks like a credential.
    /// </summary>
    internal sealed class LedgerRecorder
    {
        private static readonly string Actor = $"{Environment.UserName}@{Environment.MachineName}";
        private readonly CfSessionCmdlet _cmdlet;

        public LedgerRecorder(CfSessionCmdlet cmdlet, ILedger ledger, string? operationId = null)
        {
            _cmdlet = cmdlet;
            Ledger = ledger;
            OperationId = operationId ?? Guid.NewGuid().ToString("N");
        }

        public ILedger Ledger { get; }
        public string OperationId { get; }

        public LedgerEntry Record(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfToken? token = null, string? purpose = null,
            string? destination = null, string? detail = null, string? errorId = null, string? tokenId = null, string? tokenName = null)
        {
            var entry = new LedgerEntry
            {
                OperationId = OperationId,
                Timestamp = DateTimeOffset.UtcNow,
                Kind = kind,
                Action = action,
                Outcome = outcome,
                TokenId = token?.Id ?? tokenId,
                TokenName = token?.Name ?? tokenName,
                Scope = token?.Scope.ToString(),
                AccountId = token?.AccountId ?? _cmdlet.CurrentSession.AccountId,
                Purpose = purpose,
                Destination = destination,
                Actor = Actor,
                Detail = detail,
                ErrorId = errorId,
                ExpiresOn = token?.ExpiresOn,
            };
            var ledger = Ledger;
            LedgerEntry? written = null;
            _cmdlet.AwaitEvenIfStopping(async ct => written = await ledger.AppendAsync(entry, ct).ConfigureAwait(false));
            return written!;
        }

        /// <summary>Creates or updates the managed-token registry row.</summary>
        public void Upsert(ManagedTokenRecord record)
        {
            var ledger = Ledger;
            _cmdlet.AwaitEvenIfStopping(ct => ledger.UpsertManagedTokenAsync(record, ct));
        }

        /// <summary>Like <see cref="Record"/>, but a ledger failure becomes a warning (used where the value is already safe).</summary>
        public void TryRecord(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfToken? token = null, string? purpose = null,
            string? destination = null, string? detail = null, string? errorId = null, string? tokenName = null)
        {
            try
            {
                Record(kind, action, outcome, token, purpose, destination, detail, errorId, tokenName: tokenName);
            }
            catch (Exception ex) when (!(ex is System.Management.Automation.PipelineStoppedException))
            {
                if (_cmdlet.Stopping) return; // nothing can be written any more; the flow's own error says what happened
                _cmdlet.WriteWarning($"The ledger ({Ledger.Location}) did not record '{action}' for {token?.ToString() ?? "the token"}: {ex.Message}");
            }
        }
    }
}
