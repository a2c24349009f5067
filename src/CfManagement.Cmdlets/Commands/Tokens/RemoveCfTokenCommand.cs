using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Ledger;

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

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            var session = CurrentSession;
            LedgerRecorder? recorder = null;
            foreach (var token in ResolveTargets().ToList())
            {
                if (!ShouldProcess($"{token.Name} ({token.Id}, {token.Scope.ToString().ToLowerInvariant()}-owned)", "Revoke (delete) token")) continue;
                recorder ??= new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
                try
                {
                    Await(ct => session.Tokens.DeleteAsync(token.Scope, session.AccountId, token.Id, ct));
                    WriteVerbose($"Revoked {token}.");
                    recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Succeeded, token);
                }
                catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
                {
                    WriteError(NotVisible(token.Id, token.Scope, ex));
                }
                catch (CloudflareApiException ex)
                {
                    recorder.TryRecord(LedgerEntryKind.Revocation, "revoke", LedgerOutcome.Failed, token, detail: ex.Message, errorId: Errors.ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token);
                }
            }
        }
    }
}
