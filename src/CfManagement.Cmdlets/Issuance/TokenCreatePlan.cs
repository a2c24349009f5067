using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;
using CfManagement.Tokens;

namespace CfManagement.Issuance
{
    /// <summary>
    /// New-CfToken on the issuance sequence: (Pending trace) → create → record → deliver to each destination → done.
    /// The token is new, so a failed delivery, a ledger that cannot record it, or Ctrl+C before every destination has
    /// it withdraws it: what was stored is removed in reverse order and the token is deleted at Cloudflare; if the
    /// delete fails, the value goes to the caller (the error's TargetObject, or $CfRescuedCredentials when stopping).
    /// </summary>
    /// <remarks>
    /// The recorder is optional: New-CfToken without a destination and without a configured ledger records nothing
    /// (as it always did). The create is never retried after a lost answer (TokensApi sends it as not idempotent: a
    /// repeat would mint a second token whose value nobody saw); the error says a token may exist and how to find it.
    /// Fewer permissions than asked is a warning (as it always was for New-CfToken), not a withdrawal.
    /// </remarks>
    internal sealed class TokenCreatePlan : IssuancePlan
    {
        private readonly IFlowContext _context;
        private readonly CfSession _session;
        private readonly LedgerRecorder? _recorder;
        private readonly CfTokenScope _owner;
        private readonly CfTokenDefinition _definition;
        private readonly bool _asPlainText;
        private CfCreatedToken? _created;
        private DateTimeOffset _sentOn;
        private bool _stoppedDuringCreate;
        private ICredentialDestination? _failedAt;
        private Exception? _failure;

        public TokenCreatePlan(IFlowContext context, CfSession session, LedgerRecorder? recorder, CfTokenScope owner, CfTokenDefinition definition,
            IReadOnlyList<ICredentialDestination> destinations, bool asPlainText)
            : base(destinations)
        {
            _context = context;
            _session = session;
            _recorder = recorder;
            _owner = owner;
            _definition = definition;
            _asPlainText = asPlainText;
        }

        public override bool CanWithdraw => true;

        /// <summary>With a ledger: the Pending trace (name, owner, destinations, this entry's time) first; no trace, no create.</summary>
        public override bool BeforeIssue()
        {
            if (_recorder == null) return true;
            try
            {
                _recorder.Record(LedgerEntryKind.Creation, "create", LedgerOutcome.Pending, tokenName: _definition.Name, destination: Where,
                    scope: _owner, expiresOn: _definition.ExpiresOn);
                return true;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                var message = $"Nothing was created: the ledger ({_recorder.Ledger.Location}) did not accept the first record of token '{_definition.Name}': {ex.Message}";
                _context.Writer.Error(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, _definition.Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the ledger (see the inner exception), then run the command again." },
                });
                return false;
            }
        }

        public override IssuedCredential Issue()
        {
            _sentOn = DateTimeOffset.UtcNow;
            // Never abandoned once sent: a create whose answer nobody reads is a live token whose value nobody saw.
            _created = _context.AwaitCritical(ct => _session.Tokens.CreateAsync(_owner, _session.AccountId, _definition, ct));
            _stoppedDuringCreate = _context.Stopping;
            return IssuedCredential.ApiToken(_created.Token, _created.Value, _created.Token.IssuedOn ?? DateTimeOffset.UtcNow);
        }

        /// <summary>
        /// Refused (4xx, 429 after its waits): nothing exists. Lost (reset, timeout, 5xx): Cloudflare may have created it;
        /// the create is not repeated (a second token would be minted) and the error says how to find a token made by it.
        /// </summary>
        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException api)) { ExceptionDispatchInfo.Capture(error).Throw(); return; }
            var (errorId, _) = ApiErrorMapper.Classify(api);
            var record = ApiErrorMapper.ToErrorRecord(api, _definition.Name);
            var detail = api.Message;
            if (AccessApiOutcome.MayHaveHappened(api))
            {
                var since = _sentOn.UtcDateTime.AddSeconds(-5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                var scope = _owner == CfTokenScope.Account ? " -Scope Account" : "";
                var outcome = $"The answer was lost, so Cloudflare may have created token '{_definition.Name}' anyway (its value was never seen); the create was not repeated, " +
                              "because a repeat would mint a second token.";
                detail += "; " + outcome;
                record.ErrorDetails = new ErrorDetails($"{api.Message} {outcome}")
                {
                    RecommendedAction = $"Look for it and remove it: Get-CfToken -Name '{_definition.Name}'{scope} | Where-Object IssuedOn -ge '{since}' | Remove-CfToken; then run the command again.",
                };
            }
            _recorder?.TryRecord(LedgerEntryKind.Creation, "create", LedgerOutcome.Failed, tokenName: _definition.Name, destination: Where, detail: detail, errorId: errorId);
            _context.Writer.Error(record);
        }

        /// <summary>Recorded before anything else; a ledger that cannot record it withdraws the token.</summary>
        public override void Issued(IssuedCredential credential) =>
            _recorder?.Record(LedgerEntryKind.Creation, "create", LedgerOutcome.Succeeded, credential.Token, destination: Where);

        public override string? Check(IssuedCredential credential)
        {
            TokenCreationCheck.WarnIfReduced(_context, _session, _owner, _definition, _created!);
            return null;
        }

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) => SecretMetadata.For(credential.Token, credential.IssuedOn);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder?.TryRecord(LedgerEntryKind.Creation, "store", LedgerOutcome.Succeeded, credential.Token, destination: destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error)
        {
            _failedAt = destination;
            _failure = error;
            _recorder?.TryRecord(LedgerEntryKind.Creation, "store", LedgerOutcome.Failed, credential.Token, destination: destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);
        }

        /// <summary>Delivered somewhere: the token's metadata only. Returned to the caller: the credential (SecureString, or plain with -AsPlainText).</summary>
        public override object Result(IssuedCredential credential) =>
            Destinations.Count == 0 ? credential.ToCallerCredential(null, _asPlainText) : (object)credential.Token;

        /// <summary>Compensation (runs even after Ctrl+C): delete the token; already gone counts as deleted.</summary>
        public override void Withdraw(IssuedCredential credential)
        {
            var token = credential.Token;
            try
            {
                _context.AwaitCompensation(ct => _session.Tokens.DeleteAsync(token.Scope, _session.AccountId, token.Id, ct));
            }
            catch (CloudflareApiException ex) when (AccessApiOutcome.IsNotFound(ex))
            {
                // already gone
            }
        }

        public override void Unstored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder?.TryRecord(LedgerEntryKind.Creation, "unstore", LedgerOutcome.RolledBack, credential.Token, destination: destination.Description);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
        {
            var token = credential.Token;
            var reason = _stoppedDuringCreate ? "stopped during create" : withdrawal.Reason;
            if (withdrawal.Revoked)
            {
                _recorder?.TryRecord(LedgerEntryKind.Creation, "rollback", withdrawal.Complete ? LedgerOutcome.RolledBack : LedgerOutcome.Failed, token,
                    detail: $"token deleted: {reason}" + (withdrawal.Problems.Count == 0 ? "" : "; " + string.Join("; ", withdrawal.Problems)),
                    errorId: withdrawal.Complete ? null : ErrorIds.RollbackFailed);
                var leftover = withdrawal.LeftStored.Count == 0 ? "" : $" The dead value is still stored in {string.Join(", ", withdrawal.LeftStored)}: remove it by hand.";
                if (_failedAt != null)
                    return Failure(ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError,
                        $"Creating token '{token.Name}': writing its value to {_failedAt.Description} failed after retries: {_failure?.Message} " +
                        $"The token ({token.Id}) was deleted, so nothing is orphaned.{leftover}",
                        "Fix the destination (is the vault registered and unlocked? does the Worker script, Secrets Store or Pages project exist?), then run the command again.");
                return Failure(ErrorIds.TokenCreateFailed, withdrawal.Stopped ? ErrorCategory.OperationStopped : ErrorCategory.WriteError,
                    $"Creating token '{token.Name}' failed ({reason}). The token ({token.Id}) was deleted, so nothing is orphaned.{leftover}",
                    _recorder == null ? "Fix the cause, then run the command again." : $"Fix the cause (see Get-CfLedger -OperationId {_recorder.OperationId}), then run the command again.");
            }
            _recorder?.TryRecord(LedgerEntryKind.Creation, "rollback", LedgerOutcome.Failed, token,
                detail: $"{reason}; {string.Join("; ", withdrawal.Problems)}", errorId: ErrorIds.RollbackFailed);
            var message = $"Creating token '{token.Name}' failed ({reason}), and deleting it ({token.Id}) failed too: {string.Join("; ", withdrawal.Problems)} " +
                          "The token still exists and works; its value is in this error's TargetObject.Value as a SecureString, so it is not lost.";
            return new ErrorRecord(new InvalidOperationException(message, withdrawal.Cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, credential.ToCallerCredential())
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = $"Store the value ($e = $Error[0]; Set-Secret -Name <name> -Secret $e.TargetObject.Value -Vault <vault>) or delete the token: Remove-CfToken -Id {token.Id}{(token.Scope == CfTokenScope.Account ? " -Scope Account" : "")}.",
                },
            };
        }

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause) =>
            throw new NotSupportedException("A new token is withdrawn, never kept, when it cannot be delivered.");

        public override void Rescued(IssuedCredential credential, string reason) =>
            _recorder?.TryRecord(LedgerEntryKind.Creation, "rescue", LedgerOutcome.Pending, credential.Token,
                detail: $"{reason}; the value is in ${RescuedCredentials.VariableName}", errorId: ErrorIds.RollbackFailed);

        private ErrorRecord Failure(string errorId, ErrorCategory category, string message, string action) =>
            new ErrorRecord(new InvalidOperationException(message), errorId, category, _definition.Name)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
