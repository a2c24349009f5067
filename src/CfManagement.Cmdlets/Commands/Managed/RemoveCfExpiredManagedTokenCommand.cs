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
                if (DoneByAnotherRun(ledger, token, recorder, "before this run reached it")) continue;
                var revokedHere = true;
                if (!Step(recorder, token, "revoke", null, () =>
                    {
                        if (token.CloudflareStatus == "missing") return revokedHere = false; // already gone: nothing to revoke
                        try
                        {
                            if (token.Kind == CfManagedToken.AccessServiceTokenKind)
                                Await(ct => session.AccessServiceTokens.DeleteAsync(session.AccountId!, token.TokenId, ct)); // its client secret dies with it
                            else
                                Await(ct => session.Tokens.DeleteAsync(token.Scope, session.AccountId, token.TokenId, ct));
                        }
                        catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404) { revokedHere = false; }
                        return revokedHere;
                    })) continue;
                if (!revokedHere && token.CloudflareStatus != "missing")
                {
                    // Listed a moment ago, gone now: another cleanup run revoked it and finishes the job; say so once, here.
                    recorder.TryRecord(LedgerEntryKind.Cleanup, "complete", LedgerOutcome.Skipped, tokenName: token.Name, tokenId: token.TokenId, purpose: token.Purpose,
                        detail: "already revoked by another run");
                    WriteVerbose($"Managed token '{token.Name}' ({token.TokenId}) was already revoked by another run; it finishes the cleanup.");
                    continue;
                }
                var allRemoved = true;
                foreach (var secret in secrets)
                {
                    var destination = DestinationParser.Parse(secret);
                    if (destination == null) continue;
                    allRemoved &= Step(recorder, token, "unstore", secret, () => { destination.Remove(this); return true; });
                }
                if (!allRemoved) continue; // the registry keeps the token, so the next run retries what failed
                // Only one run marks it Revoked (a compare-and-set on the state it was loaded with); the others say so once.
                var claimed = false;
                AwaitEvenIfStopping(async ct => claimed = await ledger.TryChangeManagedTokenStateAsync(token.TokenId, record.State, ManagedTokenStates.Revoked, ct).ConfigureAwait(false));
                if (!claimed)
                {
                    DoneByAnotherRun(ledger, token, recorder, "while this run removed its secrets");
                    continue;
                }
                recorder.TryRecord(LedgerEntryKind.Cleanup, "complete", LedgerOutcome.Succeeded, tokenName: token.Name, tokenId: token.TokenId, purpose: token.Purpose, detail: why);
                if (PassThru)
                    WriteObject(new CfManagedToken(token.TokenId, token.Name, token.Purpose, token.Scope, token.ExpiresOn, token.Destinations,
                        ManagedTokenStates.Revoked, token.CloudflareStatus, token.CreatedOn, null, token.Kind, token.ClientId));
            }

            if (IncludeOrphaned) RemoveUnregisteredMints(session, ledger, name, orphanBefore);
        }

        /// <summary>Re-reads the registry row: a concurrent cleanup may have finished this token already.</summary>
        private bool DoneByAnotherRun(ILedger ledger, CfManagedToken token, LedgerRecorder recorder, string when)
        {
            ManagedTokenRecord? now = null;
            Await(async ct => now = await ledger.GetManagedTokenAsync(token.TokenId, ct).ConfigureAwait(false));
            if (now == null || !ManagedTokenStates.IsRemoved(now.State)) return false;
            recorder.TryRecord(LedgerEntryKind.Cleanup, "complete", LedgerOutcome.Skipped, tokenName: token.Name, tokenId: token.TokenId, purpose: token.Purpose,
                detail: $"already {now.State} by another run ({when})");
            WriteVerbose($"Managed token '{token.Name}' ({token.TokenId}) was already {now.State} by another run.");
            return true;
        }

        /// <summary>
        /// Tokens minted by a flow that died before the registry row: found by the ledger's mint/Pending trace
        /// (name, scope, purpose, time) in Cloudflare's own list, and revoked.
        /// </summary>
        private void RemoveUnregisteredMints(Sessions.CfSession session, ILedger ledger, WildcardPattern? name, DateTimeOffset orphanBefore)
        {
            foreach (var orphan in OrphanedMintFinder.Find(this, ledger, orphanBefore, n => name == null || name.IsMatch(n)))
            {
                var token = orphan.Token;
                var view = new CfManagedToken(token.Id, token.Name, orphan.Trace.Purpose ?? "", token.Scope, token.ExpiresOn,
                    new List<string> { "caller" }, ManagedTokenStates.Pending, token.Status, token.IssuedOn);
                if (!ShouldProcess($"{token.Name} ({token.Id}), minted {token.IssuedOn:u} by a flow that never registered it (operation {orphan.Trace.OperationId})",
                        "Revoke the unregistered token")) continue;
                var recorder = new LedgerRecorder(this, ledger, orphan.Trace.OperationId);
                var revokedHere = true;
                if (!Step(recorder, view, "revoke", null, () =>
                    {
                        try { Await(ct => session.Tokens.DeleteAsync(token.Scope, session.AccountId, token.Id, ct)); }
                        catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404) { revokedHere = false; }
                        return revokedHere;
                    })) continue;
                if (!revokedHere) continue; // another run revoked it
                // The trace named where the value was going; stored copies (if any) are removed by that flow's destinations.
                // A reissue's trace names none: its destination held the old token's value, which is not this flow's to remove.
                foreach (var secret in (orphan.Trace.Action == "mint" ? orphan.Trace.Destination ?? "" : "").Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries).Where(d => d != "caller"))
                {
                    var destination = DestinationParser.Parse(secret);
                    if (destination != null) Step(recorder, view, "unstore", secret, () => { destination.Remove(this); return true; });
                }
                recorder.TryRecord(LedgerEntryKind.Cleanup, "complete", LedgerOutcome.Succeeded, tokenName: token.Name, tokenId: token.Id, purpose: view.Purpose,
                    detail: orphan.Trace.Action == "mint" ? "unregistered mint (only its Pending trace was recorded)" : "unregistered reissue (found by its Pending trace)");
                if (PassThru)
                    WriteObject(new CfManagedToken(token.Id, token.Name, view.Purpose, token.Scope, token.ExpiresOn, view.Destinations,
                        ManagedTokenStates.Revoked, "missing", token.IssuedOn));
            }
        }

        /// <summary>
        /// One cleanup step. <paramref name="work"/> says whether it did the work itself: a step another run (or
        /// Cloudflare) had already done is recorded as Skipped, so racing cleanups leave one Succeeded per step.
        /// </summary>
        private bool Step(LedgerRecorder recorder, CfManagedToken token, string action, string? destination, Func<bool> work)
        {
            try
            {
                var doneHere = work();
                recorder.Record(LedgerEntryKind.Cleanup, action, doneHere ? LedgerOutcome.Succeeded : LedgerOutcome.Skipped, tokenId: token.TokenId,
                    tokenName: token.Name, purpose: token.Purpose, destination: destination, detail: doneHere ? null : "already done");
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
