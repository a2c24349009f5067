using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Revokes (deletes) API tokens. Tokens the session cannot see are reported as TokenNotVisible, with the reason and the fix.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveCfTokenCommand : TokenTargetCmdlet
    {
        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>Why the token is revoked (e.g. "suspected compromise"): recorded in the ledger entry's Detail.</summary>
        [Parameter]
        public string? Reason { get; set; }

        private LedgerRecorder? _recorder;

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            if (RevocationReason.Check(Reason) is ErrorRecord badReason) { WriteError(badReason); return; }
            var session = CurrentSession;
            foreach (var token in ResolveTargets().ToList())
            {
                if (!ShouldProcess($"{token.Name} ({token.Id}, {token.Scope.ToString().ToLowerInvariant()}-owned)", "Revoke (delete) token")) continue;
                var recorder = _recorder ??= new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
                try
                {
                    Await(ct => session.Tokens.DeleteAsync(token.Scope, session.AccountId, token.Id, ct));
                    WriteVerbose($"Revoked {token}.");
                    recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Succeeded, token, detail: Reason);
                }
                catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
                {
                    OnTargetNotVisible(token.Id, token.Scope, NotVisible(token.Id, token.Scope, ex));
                }
                catch (CloudflareApiException ex)
                {
                    recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Failed, token, detail: RevocationReason.Join(Reason, ex.Message), errorId: ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token);
                }
            }
        }

        /// <summary>
        /// With -Reason (a deliberate revocation, e.g. Revoke-CfToken's emergency stop), a token that is already gone
        /// is recorded too (Revocation/revoke Skipped, TokenNotVisible), so the audit trail shows the attempt.
        /// </summary>
        protected override void OnTargetNotVisible(string id, CfTokenScope scope, ErrorRecord error)
        {
            // Recorded before the error is written: under -ErrorAction Stop, WriteError does not return.
            if (Reason != null && !IsWhatIfRun()) RecordNotVisible(id, scope);
            WriteError(error);
        }

        private void RecordNotVisible(string id, CfTokenScope scope)
        {
            var recorder = _recorder ??= new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
            recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Skipped, tokenId: id,
                detail: RevocationReason.Join(Reason, "not found at Cloudflare: already deleted, or not visible to this session"),
                errorId: ErrorIds.TokenNotVisible, scopeName: scope.ToString());
        }
    }
}
