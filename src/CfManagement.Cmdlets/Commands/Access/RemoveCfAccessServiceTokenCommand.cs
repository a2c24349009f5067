using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;

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

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            var session = CurrentSession;
            AccessLedger? ledger = null;
            foreach (var token in ResolveTargets())
            {
                if (!ShouldProcess($"Access service token {token}, client id {token.ClientId}", "Delete (its secrets stop working at once)")) continue;
                ledger ??= new AccessLedger(new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId)));
                try
                {
                    Await(ct => session.AccessServiceTokens.DeleteAsync(session.AccountId!, token.Id, ct));
                    WriteVerbose($"Deleted Access service token {token}.");
                    ledger.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Succeeded, token);
                }
                catch (CloudflareApiException ex)
                {
                    ledger.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Failed, token, detail: ex.Message, errorId: ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token, ErrorIds.AccessServiceTokenNotFound, "It is already gone; list the account's service tokens with Get-CfAccessServiceToken.");
                }
            }
        }
    }
}
