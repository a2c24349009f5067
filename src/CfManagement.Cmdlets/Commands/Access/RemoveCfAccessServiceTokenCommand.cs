using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Validation;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Deletes Access service tokens: both their secrets (current and any previous one in a grace window) stop working at once. The emergency revoke.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfAccessServiceToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveCfAccessServiceTokenCommand : AccessServiceTokenTargetCmdlet
    {
        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>Why the token is deleted (e.g. "suspected compromise"): recorded in the ledger entry's Detail.</summary>
        [Parameter]
        public string? Reason { get; set; }

        private AccessLedger? _ledger;

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            if (RevocationReason.Check(Reason) is ErrorRecord badReason) { WriteError(badReason); return; }
            var session = CurrentSession;
            foreach (var token in ResolveTargets())
            {
                if (!ShouldProcess($"Access service token {token}, client id {token.ClientId}", "Delete (its secrets stop working at once)")) continue;
                var ledger = _ledger ??= new AccessLedger(new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId)));
                try
                {
                    Await(ct => session.AccessServiceTokens.DeleteAsync(session.AccountId!, token.Id, ct));
                    WriteVerbose($"Deleted Access service token {token}.");
                    ledger.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Succeeded, token, detail: Reason);
                }
                catch (CloudflareApiException ex)
                {
                    ledger.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Failed, token, detail: RevocationReason.Join(Reason, ex.Message), errorId: ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token, ErrorIds.AccessServiceTokenNotFound, "It is already gone; list the account's service tokens with Get-CfAccessServiceToken.");
                }
            }
        }

        /// <summary>
        /// With -Reason (a deliberate revocation, e.g. Revoke-CfToken's emergency stop), a service token that is already
        /// gone is recorded too (Revocation/revoke Skipped, AccessServiceTokenNotFound), so the audit trail shows the attempt.
        /// </summary>
        protected override void OnTargetNotFound(string id, ErrorRecord error)
        {
            // Recorded before the error is written: under -ErrorAction Stop, WriteError does not return.
            if (Reason != null && !IsWhatIfRun()) RecordNotFound(id);
            WriteError(error);
        }

        private void RecordNotFound(string id)
        {
            var ledger = _ledger ??= new AccessLedger(new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId)));
            ledger.Recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Skipped, tokenId: id,
                detail: RevocationReason.Join(Reason, "not found at Cloudflare: already deleted"), errorId: ErrorIds.AccessServiceTokenNotFound,
                scopeName: AccessLedger.Scope);
        }
    }
}
