using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Refreshes Access service tokens: Cloudflare extends each one's expiry by its duration. No new secret; consumers keep working unchanged.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "CfAccessServiceToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfAccessServiceToken))]
    public sealed class UpdateCfAccessServiceTokenCommand : AccessServiceTokenTargetCmdlet
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
                var expiry = token.ExpiresAt.HasValue ? token.ExpiresAt.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm") + "Z" : "never";
                if (!ShouldProcess($"Access service token {token} (expires {expiry}, duration {token.Duration})", "Refresh: extend the expiry by the duration")) continue;
                ledger ??= new AccessLedger(new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId)));
                try
                {
                    var refreshed = Await(ct => session.AccessServiceTokens.RefreshAsync(session.AccountId!, token.Id, ct));
                    var now = refreshed.ExpiresAt.HasValue ? refreshed.ExpiresAt.Value.UtcDateTime.ToString("o") : "never";
                    ledger.TryRecord(LedgerEntryKind.Rotation, "refresh", LedgerOutcome.Succeeded, refreshed, detail: $"expiry {expiry} -> {now}");
                    WriteObject(refreshed);
                }
                catch (CloudflareApiException ex)
                {
                    ledger.TryRecord(LedgerEntryKind.Rotation, "refresh", LedgerOutcome.Failed, token, detail: ex.Message, errorId: ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token, ErrorIds.AccessServiceTokenNotFound, "The token was deleted meanwhile; list them with Get-CfAccessServiceToken.");
                }
            }
        }
    }
}
