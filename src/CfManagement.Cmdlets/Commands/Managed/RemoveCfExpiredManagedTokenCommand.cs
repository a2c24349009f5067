using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Managed;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Managed
{
    /// <summary>
    /// <para type="synopsis">Revokes expired managed tokens and removes their stored secrets, recording each step. Safe on a schedule: idempotent, and -WhatIf lists exactly what would go.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfExpiredManagedToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfManagedToken))]
    public sealed class RemoveCfExpiredManagedTokenCommand : CfSessionCmdlet
    {
        /// <summary>Only managed tokens whose name matches.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string? Name { get; set; }

        /// <summary>Also remove orphans: tokens left Pending by a flow that never finished (a killed process).</summary>
        [Parameter]
        public SwitchParameter IncludeOrphaned { get; set; }

        /// <summary>How old a Pending token must be to count as an orphan.</summary>
        [Parameter]
        [ValidateRange(0, 10080)]
        public int OrphanAgeMinutes { get; set; } = 60;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            if (InputValidator.CheckWildcard(Name, nameof(Name)) is ErrorRecord badName) { WriteError(badName); return; }
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            var session = CurrentSession;
            var ledger = LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            var name = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var orphanBefore = DateTimeOffset.UtcNow.AddMinutes(-OrphanAgeMinutes);
            var candidates = ManagedTokenView.LoadWithRecords(this, ledger)
                .Where(p => name == null || name.IsMatch(p.Token.Name))
                .Where(p => !ManagedTokenStates.IsRemoved(p.Token.State))
                .Where(p => p.Token.IsExpired || (IncludeOrphaned && p.Token.State == ManagedTokenStates.Pending && (p.Token.CreatedOn ?? DateTimeOffset.MinValue) <= orphanBefore))
                .ToList();
            WriteVerbose($"{candidates.Count} managed token(s) to clean up.");

            foreach (var (record, token) in candidates)
            {
                var why = token.IsExpired ? $"expired {token.ExpiresOn:u}" : $"orphaned (Pending since {token.CreatedOn:u})";
                var secrets = token.Destinations.Where(d => d != "caller").ToList();
                var target = $"{token.Name} ({token.TokenId}), {why}; stored in: {(secrets.Count == 0 ? "nothing" : string.Join(", ", secrets))}";
                if (!ShouldProcess(target, "Revoke token and remove its stored secrets")) continue;

                var recorder = new LedgerRecorder(this, ledger);
                if (!Step(recorder, token, "revoke", null, () =>
                    {
                        if (token.CloudflareStatus == "missing") return; // already gone: nothing to revoke
                        try { Await(ct => session.Tokens.DeleteAsync(token.Scope, session.AccountId, token.TokenId, ct)); }
                        catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404) { }
                    })) continue;
                var allRemoved = true;
                foreach (var secret in secrets)
                {
                    var destination = DestinationParser.Parse(secret);
                    if (destination == null) continue;
                    allRemoved &= Step(recorder, token, "unstore", secret, () => destination.Remove(this));
                }
                if (!allRemoved) continue; // the registry keeps the token, so the next run retries what failed

                recorder.Upsert(record.With(state: ManagedTokenStates.Revoked));
                recorder.TryRecord(LedgerEntryKind.Cleanup, "complete", LedgerOutcome.Succeeded, tokenName: token.Name, purpose: token.Purpose, detail: why);
                if (PassThru)
                    WriteObject(new CfManagedToken(token.TokenId, token.Name, token.Purpose, token.Scope, token.ExpiresOn, token.Destinations,
                        ManagedTokenStates.Revoked, token.CloudflareStatus, token.CreatedOn));
            }
        }

        private bool Step(LedgerRecorder recorder, CfManagedToken token, string action, string? destination, Action work)
        {
            try
            {
                work();
                recorder.Record(LedgerEntryKind.Cleanup, action, LedgerOutcome.Succeeded, tokenId: token.TokenId, tokenName: token.Name,
                    purpose: token.Purpose, destination: destination);
                return true;
            }
            catch (Exception ex) when (ex is CloudflareApiException || ex is DestinationException)
            {
                recorder.TryRecord(LedgerEntryKind.Cleanup, action, LedgerOutcome.Failed, purpose: token.Purpose, destination: destination,
                    detail: ex.Message, errorId: ErrorIds.CleanupStepFailed, tokenName: token.Name);
                var message = $"Cleanup of managed token '{token.Name}' ({token.TokenId}) failed at '{action}'{(destination == null ? "" : " for " + destination)}: {ex.Message}";
                WriteError(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.CleanupStepFailed, ErrorCategory.ResourceUnavailable, token)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Nothing was marked done; run the cleanup again once the cause is fixed (it is idempotent)." },
                });
                return false;
            }
        }
    }
}
