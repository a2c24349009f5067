using System;
using CfManagement.Commands.Base;
using CfManagement.Issuance;
using CfManagement.Model;

namespace CfManagement.Ledger
{
    /// <summary>
    /// Records the steps of one flow (one operation id) in the ledger. Only metadata is written; the ledger's own
    /// SecretGuard refuses anything that looks like a credential. Works through a flow context, not a cmdlet, so the
    /// issuance sequence can be tested without a pipeline; writes go on after Ctrl+C (as compensating work).
    /// </summary>
    internal sealed class LedgerRecorder
    {
        private static readonly string Actor = $"{Environment.UserName}@{Environment.MachineName}";
        private readonly IFlowContext _context;
        private readonly string? _accountId;

        public LedgerRecorder(CfSessionCmdlet cmdlet, ILedger ledger, string? operationId = null)
            : this(new CmdletFlowContext(cmdlet), ledger, cmdlet.CurrentSession.AccountId, operationId)
        {
        }

        public LedgerRecorder(IFlowContext context, ILedger ledger, string? accountId, string? operationId = null)
        {
            _context = context;
            _accountId = accountId;
            Ledger = ledger;
            OperationId = operationId ?? Guid.NewGuid().ToString("N");
        }

        public ILedger Ledger { get; }
        public string OperationId { get; }

        public LedgerEntry Record(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfToken? token = null, string? purpose = null,
            string? destination = null, string? detail = null, string? errorId = null, string? tokenId = null, string? tokenName = null,
            CfTokenScope? scope = null, DateTimeOffset? expiresOn = null, string? scopeName = null)
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
                Scope = token?.Scope.ToString() ?? scope?.ToString() ?? scopeName,
                AccountId = token?.AccountId ?? _accountId,
                Purpose = purpose,
                Destination = destination,
                Actor = Actor,
                Detail = detail,
                ErrorId = errorId,
                ExpiresOn = token?.ExpiresOn ?? expiresOn,
            };
            var ledger = Ledger;
            LedgerEntry? written = null;
            _context.AwaitEvenIfStopping(async ct => written = await ledger.AppendAsync(entry, ct).ConfigureAwait(false));
            return written!;
        }

        /// <summary>Creates or updates the managed-token registry row.</summary>
        public void Upsert(ManagedTokenRecord record)
        {
            var ledger = Ledger;
            _context.AwaitEvenIfStopping(ct => ledger.UpsertManagedTokenAsync(record, ct));
        }

        /// <summary>Like <see cref="Record"/>, but a ledger failure becomes a warning (used where the value is already safe).</summary>
        public void TryRecord(LedgerEntryKind kind, string action, LedgerOutcome outcome, CfToken? token = null, string? purpose = null,
            string? destination = null, string? detail = null, string? errorId = null, string? tokenName = null, string? tokenId = null,
            DateTimeOffset? expiresOn = null, string? scopeName = null)
        {
            try
            {
                Record(kind, action, outcome, token, purpose, destination, detail, errorId, tokenId: tokenId, tokenName: tokenName, expiresOn: expiresOn, scopeName: scopeName);
            }
            catch (Exception ex) when (!(ex is System.Management.Automation.PipelineStoppedException))
            {
                // dropped once stopping: the flow's own error (or the rescue) says what happened
                _context.Writer.Warning($"The ledger ({Ledger.Location}) did not record '{action}' for {token?.ToString() ?? tokenName ?? "the token"}: {ex.Message}");
            }
        }
    }
}
