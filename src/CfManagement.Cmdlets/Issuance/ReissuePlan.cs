using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Health;
using CfManagement.Ledger;
using CfManagement.Managed;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;
using CfManagement.Tokens;

namespace CfManagement.Issuance
{
    /// <summary>
    /// Repair-CfToken -Reissue on the issuance sequence: mint a replacement, deliver it, then (past the point of no
    /// return) revoke the old token. The replacement is new, so any failure, a replacement with fewer permissions than
    /// asked, or Ctrl+C withdraws it and leaves the old token untouched. A managed old token's registry row becomes
    /// Replaced (ReplacedBy the new id) and the replacement gets its own row.
    /// </summary>
    internal sealed class ReissuePlan : IssuancePlan
    {
        private readonly IFlowContext _context;
        private readonly CfSession _session;
        private readonly LedgerRecorder _recorder;
        private readonly CfToken _old;
        private readonly bool _oldVisible;
        private readonly CfTokenDefinition _definition;
        private readonly string _missingNames;
        private CfCreatedToken? _created;
        private ManagedTokenRecord? _oldRecord;
        private string[] _reduced = Array.Empty<string>();
        private ICredentialDestination? _failedAt;
        private Exception? _failure;

        public ReissuePlan(IFlowContext context, CfSession session, LedgerRecorder recorder, CfToken old, bool oldVisible,
            CfTokenDefinition definition, string missingNames, IReadOnlyList<ICredentialDestination> destinations)
            : base(destinations)
        {
            _context = context;
            _session = session;
            _recorder = recorder;
            _old = old;
            _oldVisible = oldVisible;
            _definition = definition;
            _missingNames = missingNames;
        }

        public override bool CanWithdraw => true;

        /// <summary>
        /// The replacement's Pending trace (its name, scope and this entry's time, no token id yet), as a managed mint
        /// leaves one: if the process dies between Cloudflare's create answer and the next record, or the replacement can
        /// be neither delivered nor revoked, `Remove-CfExpiredManagedToken -IncludeOrphaned` finds it by this trace.
        /// No trace, no create: a ledger that refuses it stops the reissue before anything is sent.
        /// </summary>
        public override bool BeforeIssue()
        {
            try
            {
                _recorder.Record(LedgerEntryKind.Repair, "reissue", LedgerOutcome.Pending, tokenName: _definition.Name, scope: _old.Scope,
                    expiresOn: _definition.ExpiresOn, detail: $"creating the replacement for '{_old.Name}' ({_old.Id}), for {Where}");
                return true;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                var message = $"Nothing was reissued: the ledger ({_recorder.Ledger.Location}) did not accept the first record of the replacement for '{_old.Name}' ({_old.Id}): {ex.Message}";
                _context.Writer.Error(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, _old)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the ledger (see the inner exception), then run the reissue again." },
                });
                return false;
            }
        }

        public override IssuedCredential Issue()
        {
            _created = _context.AwaitCritical(ct => _session.Tokens.CreateAsync(_old.Scope, _session.AccountId, _definition, ct));
            return IssuedCredential.ApiToken(_created.Token, _created.Value, DateTimeOffset.UtcNow);
        }

        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException)) ExceptionDispatchInfo.Capture(error).Throw();
            var api = (CloudflareApiException)error;
            _recorder.TryRecord(LedgerEntryKind.Repair, "reissue", LedgerOutcome.Failed, _old, detail: $"creating '{_definition.Name}' failed: {api.Message}", errorId: ApiErrorMapper.Classify(api).ErrorId);
            _context.Writer.Error(ApiErrorMapper.ToErrorRecord(api, _old));
        }

        public override void Issued(IssuedCredential credential)
        {
            _recorder.TryRecord(LedgerEntryKind.Repair, "reissue", LedgerOutcome.Succeeded, credential.Token,
                detail: $"replacement for '{_old.Name}' ({_old.Id}); added: {_missingNames}");
            try
            {
                var ledger = _recorder.Ledger;
                _context.AwaitEvenIfStopping(async ct => _oldRecord = await ledger.GetManagedTokenAsync(_old.Id, ct).ConfigureAwait(false));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                _context.Writer.Warning($"The ledger's managed-token registry could not be read for {_old.Id}: {ex.Message}");
            }
            if (_oldRecord != null) _recorder.Upsert(Replacement(credential, ManagedTokenStates.Pending));
        }

        public override string? Check(IssuedCredential credential)
        {
            _reduced = TokenCreationCheck.WarnIfReduced(_context, _session, _old.Scope, _definition, _created!);
            return _reduced.Length == 0 ? null : $"The replacement for '{_old.Name}' lacks {string.Join(", ", _reduced)}: the session's token cannot grant them.";
        }

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) =>
            SecretMetadata.For(credential.Token, credential.IssuedOn, _oldRecord?.Purpose, replacesTokenId: _old.Id);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder.TryRecord(LedgerEntryKind.Repair, "store", LedgerOutcome.Succeeded, credential.Token, destination: destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error)
        {
            _failedAt = destination;
            _failure = error;
            _recorder.TryRecord(LedgerEntryKind.Repair, "store", LedgerOutcome.Failed, credential.Token, destination: destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);
        }

        public override void Complete(IssuedCredential credential)
        {
            if (_oldRecord != null) _recorder.Upsert(Replacement(credential, ManagedTokenStates.Active));
        }

        /// <summary>Past the point of no return: revoke the old token (even if Ctrl+C comes now) and mark its row Replaced.</summary>
        public override void Finalize(IssuedCredential credential)
        {
            try
            {
                _context.AwaitEvenIfStopping(ct => _session.Tokens.DeleteAsync(_old.Scope, _session.AccountId, _old.Id, ct));
                _recorder.TryRecord(LedgerEntryKind.Repair, "revoke", LedgerOutcome.Succeeded, _old, detail: "replaced by a reissued token");
                _context.Writer.Verbose($"Revoked the old token {_old}.");
            }
            catch (CloudflareApiException ex)
            {
                var refused = TokenDetailsReader.IsRefusal(ex);
                var why = refused
                    ? (_oldVisible ? "this session may not delete it" : "it is not visible to this session's token (the visibility wall)")
                    : "the request failed: " + ex.Message;
                _context.Writer.Warning($"The old token '{_old.Name}' ({_old.Id}) was NOT revoked: {why}. It still works; its owner must revoke it " +
                                        $"(Remove-CfToken -Id {_old.Id}{(_old.Scope == CfTokenScope.Account ? " -Scope Account" : "")} from a session that can see it) once its consumers use the replacement.");
                _recorder.TryRecord(LedgerEntryKind.Repair, "revoke", refused ? LedgerOutcome.Skipped : LedgerOutcome.Failed, _old,
                    detail: "old token not revoked, its owner must revoke it: " + why, errorId: refused ? ErrorIds.TokenNotVisible : ApiErrorMapper.Classify(ex).ErrorId);
            }
            if (_oldRecord != null)
                _recorder.Upsert(_oldRecord.With(state: ManagedTokenStates.Replaced, replacedBy: credential.Id));
        }

        public override object Result(IssuedCredential credential) => credential.ToCallerCredential(Destinations.Count == 0 ? null : Where);

        public override void Withdraw(IssuedCredential credential)
        {
            var token = credential.Token;
            _context.AwaitCompensation(ct => _session.Tokens.DeleteAsync(token.Scope, _session.AccountId, token.Id, ct));
        }

        public override void Unstored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder.TryRecord(LedgerEntryKind.Repair, "unstore", LedgerOutcome.RolledBack, credential.Token, destination: destination.Description);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
        {
            var replacement = credential.Token;
            var reason = withdrawal.Reason;
            if (_oldRecord != null)
            {
                try { _recorder.Upsert(Replacement(credential, withdrawal.Complete ? ManagedTokenStates.RolledBack : ManagedTokenStates.Pending)); }
                catch (Exception ex) when (CredentialIssuance.IsFlowFailure(ex) && !(ex is PipelineStoppedException)) { /* the rollback entry still says it */ }
            }
            if (withdrawal.Revoked)
            {
                _recorder.TryRecord(LedgerEntryKind.Repair, "rollback", withdrawal.Complete ? LedgerOutcome.RolledBack : LedgerOutcome.Failed, replacement,
                    detail: $"replacement deleted: {reason}" + (withdrawal.Problems.Count == 0 ? "" : "; " + string.Join("; ", withdrawal.Problems)),
                    errorId: withdrawal.Complete ? null : ErrorIds.RollbackFailed);
                var leftover = withdrawal.LeftStored.Count == 0 ? "" : $" The dead value is still stored in {string.Join(", ", withdrawal.LeftStored)}: remove it by hand.";
                if (_reduced.Length > 0)
                    return Failure(ErrorIds.RepairFailed, ErrorCategory.PermissionDenied, _old,
                        $"{reason} The replacement '{replacement.Name}' ({replacement.Id}) was deleted; the old token is untouched.{leftover}",
                        "Reissue from a session whose token holds every group the old token has plus the missing ones (e.g. a Super Administrator's token).");
                if (_failedAt != null)
                    return Failure(ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, _old,
                        $"Reissuing '{_old.Name}' ({_old.Id}): writing the replacement's value to {_failedAt.Description} failed after retries: {_failure?.Message} " +
                        $"The replacement '{replacement.Name}' ({replacement.Id}) was deleted, so nothing is orphaned; the old token is untouched.{leftover}",
                        "Fix the destination (is the vault registered and unlocked? does the Worker script exist?), then run the reissue again.");
                return Failure(ErrorIds.RepairFailed, ErrorCategory.WriteError, _old,
                    $"Reissuing '{_old.Name}' ({_old.Id}) failed ({reason}). The replacement '{replacement.Name}' ({replacement.Id}) was deleted; the old token is untouched.{leftover}",
                    "Fix the cause (see Get-CfLedger -OperationId " + _recorder.OperationId + "), then run the reissue again.");
            }
            _recorder.TryRecord(LedgerEntryKind.Repair, "rollback", LedgerOutcome.Failed, replacement,
                detail: $"{reason}; {string.Join("; ", withdrawal.Problems)}", errorId: ErrorIds.RollbackFailed);
            var message = $"Reissuing '{_old.Name}' ({_old.Id}) failed ({reason}), and deleting the replacement '{replacement.Name}' ({replacement.Id}) failed too: {string.Join("; ", withdrawal.Problems)} " +
                          "The replacement still exists and works; its value is in this error's TargetObject.Value as a SecureString, so it is not lost. " +
                          "Unless you store it, Remove-CfExpiredManagedToken -IncludeOrphaned revokes it (found by the reissue's Pending trace in the ledger).";
            return new ErrorRecord(new InvalidOperationException(message, withdrawal.Cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, credential.ToCallerCredential())
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = $"Store the value ($e = $Error[0]; Set-Secret -Name <name> -Secret $e.TargetObject.Value -Vault <vault>) or revoke the replacement: Remove-CfToken -Id {replacement.Id}{(replacement.Scope == CfTokenScope.Account ? " -Scope Account" : "")}, or run Remove-CfExpiredManagedToken -IncludeOrphaned.",
                },
            };
        }

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause) =>
            throw new NotSupportedException("A replacement is withdrawn, never kept, when it cannot be delivered.");

        public override void Rescued(IssuedCredential credential, string reason) =>
            _recorder.TryRecord(LedgerEntryKind.Repair, "rescue", LedgerOutcome.Pending, credential.Token,
                detail: $"{reason}; the replacement's value is in ${RescuedCredentials.VariableName}", errorId: ErrorIds.RollbackFailed);

        private ManagedTokenRecord Replacement(IssuedCredential credential, string state) => new ManagedTokenRecord
        {
            TokenId = credential.Id,
            TokenName = credential.Name,
            Scope = credential.Token.Scope.ToString(),
            Purpose = _oldRecord!.Purpose,
            AccountId = _session.AccountId,
            CreatedOn = credential.Token.IssuedOn ?? credential.IssuedOn,
            ExpiresOn = credential.Token.ExpiresOn,
            Destinations = Destinations.Count == 0 ? new List<string> { "caller" } : Destinations.Select(d => d.Description).ToList(),
            State = state,
        };

        private static ErrorRecord Failure(string errorId, ErrorCategory category, object target, string message, string action) =>
            new ErrorRecord(new InvalidOperationException(message), errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
