using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;

namespace CfManagement.Access
{
    /// <summary>
    /// New-CfAccessServiceToken on the issuance sequence: check the name is free → Pending trace → create → record →
    /// deliver (client id and secret) → done. The token is new, so any failure, a ledger that cannot record it, or Ctrl+C
    /// withdraws it: what was stored is removed in reverse and the token is deleted; if it cannot be deleted, its secret
    /// goes to the caller (error TargetObject or $CfRescuedCredentials).
    /// </summary>
    /// <remarks>
    /// A create is never retried blindly (a lost answer would leave a token whose secret nobody saw). Instead the name is
    /// checked free before the create, so after a reset, timeout or 5xx any token under that name is the one the lost
    /// answer held: it is found by name and deleted, and the error says so. Subclasses (a managed Access token) add
    /// registry rows by overriding the hooks and calling these.
    /// </remarks>
    internal class AccessServiceTokenCreatePlan : IssuancePlan
    {
        private ICredentialDestination? _failedAt;
        private Exception? _failure;

        public AccessServiceTokenCreatePlan(IFlowContext context, CfSession session, AccessLedger ledger, string name, AccessDuration? duration,
            IReadOnlyList<ICredentialDestination> destinations, bool asPlainText, string? purpose = null,
            LedgerEntryKind kind = LedgerEntryKind.Creation, string issueAction = "create")
            : base(destinations)
        {
            Context = context;
            Session = session;
            Ledger = ledger;
            Name = name;
            Duration = duration;
            AsPlainText = asPlainText;
            Purpose = purpose;
            Kind = kind;
            IssueAction = issueAction;
        }

        protected IFlowContext Context { get; }
        protected CfSession Session { get; }
        protected AccessLedger Ledger { get; }
        protected string Name { get; }
        protected AccessDuration? Duration { get; }
        protected bool AsPlainText { get; }
        protected string? Purpose { get; }
        /// <summary>The ledger kind of every entry (Creation; ManagedToken for a managed Access token).</summary>
        protected LedgerEntryKind Kind { get; }
        /// <summary>The ledger action of the Pending trace and the issue (create; mint for a managed one).</summary>
        protected string IssueAction { get; }
        protected string AccountId => Session.AccountId!;
        /// <summary>The destinations' descriptions, comma-separated, or "caller".</summary>
        protected string Destination => Where;

        public override bool CanWithdraw => true;

        /// <summary>
        /// The name must be free (it is how a lost create is found), then the Pending trace: name, destinations and this
        /// entry's time, no id yet. No trace, no create: a ledger that refuses it stops the command before anything is sent.
        /// </summary>
        public override bool BeforeIssue()
        {
            IReadOnlyList<CfAccessServiceToken> existing;
            try
            {
                existing = Context.Await(ct => Session.AccessServiceTokens.FindByNameAsync(AccountId, Name, ct));
            }
            catch (CloudflareApiException ex)
            {
                Context.Writer.Error(ApiErrorMapper.ToErrorRecord(ex, Name));
                return false;
            }
            if (existing.Count > 0)
            {
                var message = $"An Access service token named '{Name}' already exists ({string.Join(", ", existing.Select(t => t.Id))}); nothing was created. " +
                              "Names must be unique here: a create whose answer is lost is found by its name.";
                Context.Writer.Error(new ErrorRecord(new InvalidOperationException(message), ErrorIds.AccessServiceTokenNameTaken, ErrorCategory.ResourceExists, Name)
                {
                    ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = $"Pick another name, rotate the existing token (Get-CfAccessServiceToken -Name '{Name}' | Invoke-CfAccessServiceTokenRotate), or remove it first.",
                    },
                });
                return false;
            }
            try
            {
                Ledger.Record(Kind, IssueAction, LedgerOutcome.Pending, null, tokenName: Name, purpose: Purpose, destination: Where,
                    detail: $"creating Access service token '{Name}' (duration {Duration?.Text ?? AccessDuration.Default})");
                return true;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                var message = $"Nothing was created: the ledger ({Ledger.Recorder.Ledger.Location}) did not accept the first record of Access service token '{Name}': {ex.Message}";
                Context.Writer.Error(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the ledger (see the inner exception), then run the command again." },
                });
                return false;
            }
        }

        public override IssuedCredential Issue()
        {
            var issued = Context.AwaitCritical(ct => Session.AccessServiceTokens.CreateAsync(AccountId, Name, Duration, ct));
            return IssuedCredential.AccessServiceToken(issued.ServiceToken, issued.ClientSecret, issued.ServiceToken.CreatedAt ?? DateTimeOffset.UtcNow);
        }

        /// <summary>
        /// Refused (4xx, 429): nothing exists. Lost (reset, timeout, 5xx): the create may have happened, so the token is
        /// looked up by its (free before) name and deleted, its secret never seen; the error says which it was.
        /// </summary>
        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException api)) { ExceptionDispatchInfo.Capture(error).Throw(); return; }
            var (errorId, _) = ApiErrorMapper.Classify(api);
            if (!AccessApiOutcome.MayHaveHappened(api))
            {
                Ledger.TryRecord(Kind, IssueAction, LedgerOutcome.Failed, null, tokenName: Name, purpose: Purpose, detail: api.Message, errorId: errorId);
                Context.Writer.Error(ApiErrorMapper.ToErrorRecord(api, Name));
                return;
            }

            var (deleted, left, problem) = DeleteLostCreate();
            string outcome;
            string action;
            if (problem == null && left.Count == 0)
            {
                outcome = deleted.Count == 0
                    ? "Cloudflare has no token by that name, so the create did not happen; nothing was created."
                    : $"The create had happened: token {string.Join(", ", deleted.Select(t => t.Id))} existed, its secret never seen, and was deleted; nothing is left behind.";
                action = "Run the command again.";
                Ledger.TryRecord(Kind, IssueAction, LedgerOutcome.Failed, null, tokenName: Name, purpose: Purpose, detail: api.Message, errorId: errorId);
                foreach (var token in deleted)
                    Ledger.TryRecord(Kind, "rollback", LedgerOutcome.RolledBack, token, purpose: Purpose, detail: "created by a request whose answer was lost (secret never seen); deleted");
            }
            else
            {
                outcome = $"Whether the create happened is unknown ({problem ?? "the token it created could not be deleted"}): a token named '{Name}' may exist whose secret nobody saw.";
                action = $"Check with Get-CfAccessServiceToken -Name '{Name}' and remove it (Remove-CfAccessServiceToken -Name '{Name}'), then run the command again.";
                Ledger.TryRecord(Kind, IssueAction, LedgerOutcome.Failed, null, tokenName: Name, purpose: Purpose,
                    detail: api.Message + "; " + outcome, errorId: ErrorIds.RollbackFailed);
            }
            var record = ApiErrorMapper.ToErrorRecord(api, Name);
            record.ErrorDetails = new ErrorDetails($"{api.Message} {outcome}") { RecommendedAction = action };
            Context.Writer.Error(record);
        }

        /// <summary>Deletes every token under the name (the name was free, so they are what the lost create made).</summary>
        private (List<CfAccessServiceToken> Deleted, List<CfAccessServiceToken> Left, string? Problem) DeleteLostCreate()
        {
            var deleted = new List<CfAccessServiceToken>();
            var left = new List<CfAccessServiceToken>();
            IReadOnlyList<CfAccessServiceToken> found = Array.Empty<CfAccessServiceToken>();
            try
            {
                Context.AwaitCompensation(async ct => found = await Session.AccessServiceTokens.FindByNameAsync(AccountId, Name, ct).ConfigureAwait(false));
            }
            catch (Exception ex) when (CredentialIssuance.IsFlowFailure(ex))
            {
                return (deleted, left, "looking it up failed: " + ex.Message);
            }
            foreach (var token in found)
            {
                try
                {
                    DeleteToken(token.Id);
                    deleted.Add(token);
                }
                catch (Exception ex) when (CredentialIssuance.IsFlowFailure(ex))
                {
                    left.Add(token);
                    Context.Writer.Warning($"Access service token {token} (created by a request whose answer was lost) could not be deleted: {ex.Message}");
                }
            }
            return (deleted, left, left.Count == 0 ? null : $"deleting {string.Join(", ", left.Select(t => t.Id))} failed");
        }

        /// <summary>Right after the create: recorded before anything else (a ledger that cannot record it withdraws the token).</summary>
        public override void Issued(IssuedCredential credential) =>
            Ledger.Record(Kind, IssueAction, LedgerOutcome.Succeeded, credential.ServiceToken, purpose: Purpose, destination: Where);

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) =>
            AccessSecretMetadata.For(credential.ServiceToken!, credential.IssuedOn, Purpose);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            Ledger.TryRecord(Kind, "store", LedgerOutcome.Succeeded, credential.ServiceToken, purpose: Purpose, destination: destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error)
        {
            _failedAt = destination;
            _failure = error;
            Ledger.TryRecord(Kind, "store", LedgerOutcome.Failed, credential.ServiceToken, purpose: Purpose, destination: destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);
        }

        public override object Result(IssuedCredential credential) =>
            credential.ToCallerAccessCredential(Destinations.Count == 0 ? null : Where, AsPlainText);

        /// <summary>Compensation (runs even after Ctrl+C): delete the token; already gone counts as deleted.</summary>
        public override void Withdraw(IssuedCredential credential) => DeleteToken(credential.Id);

        private void DeleteToken(string id)
        {
            try
            {
                Context.AwaitCompensation(ct => Session.AccessServiceTokens.DeleteAsync(AccountId, id, ct));
            }
            catch (CloudflareApiException ex) when (AccessApiOutcome.IsNotFound(ex))
            {
                // already gone
            }
        }

        public override void Unstored(IssuedCredential credential, ICredentialDestination destination) =>
            Ledger.TryRecord(Kind, "unstore", LedgerOutcome.RolledBack, credential.ServiceToken, purpose: Purpose, destination: destination.Description);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
        {
            var token = credential.ServiceToken!;
            var reason = withdrawal.Reason;
            if (withdrawal.Revoked)
            {
                Ledger.TryRecord(Kind, "rollback", withdrawal.Complete ? LedgerOutcome.RolledBack : LedgerOutcome.Failed, token, purpose: Purpose,
                    detail: $"service token deleted: {reason}" + (withdrawal.Problems.Count == 0 ? "" : "; " + string.Join("; ", withdrawal.Problems)),
                    errorId: withdrawal.Complete ? null : ErrorIds.RollbackFailed);
                var leftover = withdrawal.LeftStored.Count == 0 ? "" : $" The dead secret is still stored in {string.Join(", ", withdrawal.LeftStored)}: remove it by hand.";
                if (_failedAt != null)
                    return Failure(ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, Name,
                        $"Creating Access service token '{Name}': writing it to {_failedAt.Description} failed after retries: {_failure?.Message} " +
                        $"The token ({token.Id}) was deleted, so nothing is orphaned.{leftover}",
                        "Fix the destination (is the vault registered and unlocked? does the Worker script or Pages project exist?), then run the command again.");
                return Failure(ErrorIds.AccessServiceTokenCreateFailed, withdrawal.Stopped ? ErrorCategory.OperationStopped : ErrorCategory.WriteError, Name,
                    $"Creating Access service token '{Name}' failed ({reason}). The token ({token.Id}) was deleted, so nothing is orphaned.{leftover}",
                    $"Fix the cause (see Get-CfLedger -OperationId {Ledger.Recorder.OperationId}), then run the command again.");
            }
            Ledger.TryRecord(Kind, "rollback", LedgerOutcome.Failed, token, purpose: Purpose, detail: $"{reason}; {string.Join("; ", withdrawal.Problems)}", errorId: ErrorIds.RollbackFailed);
            var message = $"Creating Access service token '{Name}' failed ({reason}), and deleting it ({token.Id}) failed too: {string.Join("; ", withdrawal.Problems)} " +
                          "The token still exists and works; its client secret is in this error's TargetObject.ClientSecret as a SecureString, so it is not lost.";
            return new ErrorRecord(new InvalidOperationException(message, withdrawal.Cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, credential.ToCallerAccessCredential())
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = $"Store the secret ($e = $Error[0]; Set-Secret -Name <name> -Secret $e.TargetObject.ClientSecret -Vault <vault>) or delete the token: Remove-CfAccessServiceToken -Id {token.Id}.",
                },
            };
        }

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause) =>
            throw new NotSupportedException("A new service token is withdrawn, never kept, when it cannot be delivered.");

        public override void Rescued(IssuedCredential credential, string reason) =>
            Ledger.TryRecord(Kind, "rescue", LedgerOutcome.Pending, credential.ServiceToken, purpose: Purpose,
                detail: $"{reason}; the client secret is in ${RescuedCredentials.VariableName}", errorId: ErrorIds.RollbackFailed);

        protected static ErrorRecord Failure(string errorId, ErrorCategory category, object target, string message, string action) =>
            new ErrorRecord(new InvalidOperationException(message), errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
