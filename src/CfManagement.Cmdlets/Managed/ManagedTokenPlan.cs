using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Sessions;
using CfManagement.Tokens;

namespace CfManagement.Managed
{
    /// <summary>
    /// New-CfManagedToken on the issuance sequence: Pending trace → mint → record (registry row Pending) → store →
    /// Active. The Pending trace names the token, its scope, purpose and the time, so cleanup can find a token minted
    /// by a process that died before the registry row; any failure, a mint with fewer permissions than asked, or
    /// Ctrl+C withdraws the token (stored secrets removed in reverse, token revoked).
    /// </summary>
    internal sealed class ManagedTokenPlan : IssuancePlan
    {
        private readonly IFlowContext _context;
        private readonly CfSession _session;
        private readonly LedgerRecorder _recorder;
        private readonly string _purpose;
        private readonly CfTokenScope _owner;
        private readonly CfTokenDefinition _definition;
        private readonly List<string> _where;
        private readonly bool _asPlainText;
        private CfCreatedToken? _created;
        private bool _stoppedDuringMint;

        public ManagedTokenPlan(IFlowContext context, CfSession session, LedgerRecorder recorder, string purpose,
            CfTokenScope owner, CfTokenDefinition definition, IReadOnlyList<ICredentialDestination> destinations, bool asPlainText)
            : base(destinations)
        {
            _context = context;
            _session = session;
            _recorder = recorder;
            _purpose = purpose;
            _owner = owner;
            _definition = definition;
            _where = destinations.Count == 0 ? new List<string> { "caller" } : destinations.Select(d => d.Description).ToList();
            _asPlainText = asPlainText;
        }

        public override bool CanWithdraw => true;

        public override bool BeforeIssue()
        {
            try
            {
                // Name, scope, purpose and this entry's time: what cleanup needs to find the token if the process dies
                // between Cloudflare's answer and the registry row.
                _recorder.Record(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Pending, tokenName: _definition.Name, purpose: _purpose,
                    destination: string.Join(", ", _where), scope: _owner, expiresOn: _definition.ExpiresOn);
                return true;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                var message = $"Nothing was minted: the ledger ({_recorder.Ledger.Location}) did not accept the first record of managed token '{_definition.Name}': {ex.Message}";
                _context.Writer.Error(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, _definition.Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the ledger (see the inner exception), then run the command again." },
                });
                return false;
            }
        }

        public override IssuedCredential Issue()
        {
            _created = _context.AwaitCritical(ct => _session.Tokens.CreateAsync(_owner, _session.AccountId, _definition, ct));
            _stoppedDuringMint = _context.Stopping;
            return IssuedCredential.ApiToken(_created.Token, _created.Value, _created.Token.IssuedOn ?? DateTimeOffset.UtcNow);
        }

        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException)) ExceptionDispatchInfo.Capture(error).Throw();
            var api = (CloudflareApiException)error;
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Failed, purpose: _purpose, detail: api.Message,
                errorId: ApiErrorMapper.Classify(api).ErrorId, tokenName: _definition.Name);
            _context.Writer.Error(ApiErrorMapper.ToErrorRecord(api, _definition.Name));
        }

        public override void Issued(IssuedCredential credential)
        {
            _recorder.Record(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Succeeded, credential.Token, _purpose);
            _recorder.Upsert(Registry(credential.Token, ManagedTokenStates.Pending));
        }

        /// <summary>Fewer permissions than asked is a failure: the token is withdrawn everywhere (as a reissue does).</summary>
        public override string? Check(IssuedCredential credential)
        {
            var missing = TokenCreationCheck.WarnIfReduced(_context, _session, _owner, _definition, _created!);
            return missing.Length == 0 ? null
                : $"it has fewer permissions than asked (missing {string.Join(", ", missing)}): the session's token cannot grant them";
        }

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) =>
            Secrets.SecretMetadata.For(credential.Token, credential.IssuedOn, _purpose);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder.Record(LedgerEntryKind.ManagedToken, "store", LedgerOutcome.Succeeded, credential.Token, _purpose, destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error) =>
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "store", LedgerOutcome.Failed, credential.Token, _purpose, destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);

        public override void Complete(IssuedCredential credential)
        {
            _recorder.Upsert(Registry(credential.Token, ManagedTokenStates.Active));
            _recorder.Record(LedgerEntryKind.ManagedToken, "activate", LedgerOutcome.Succeeded, credential.Token, _purpose, string.Join(", ", _where));
        }

        public override object Result(IssuedCredential credential)
        {
            var token = credential.Token;
            var value = Destinations.Count == 0 ? (_asPlainText ? Http.SecureStringReader.ToPlainText(credential.PrimarySecret) : (object)credential.PrimarySecret) : null;
            return new CfManagedToken(token.Id, token.Name, _purpose, token.Scope, token.ExpiresOn, _where,
                ManagedTokenStates.Active, token.Status, credential.IssuedOn, value);
        }

        public override void Withdraw(IssuedCredential credential)
        {
            var token = credential.Token;
            _context.AwaitCompensation(ct => _session.Tokens.DeleteAsync(token.Scope, _session.AccountId, token.Id, ct));
        }

        public override void Unstored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "unstore", LedgerOutcome.RolledBack, credential.Token, _purpose, destination.Description);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
        {
            var token = credential.Token;
            var reason = _stoppedDuringMint ? "stopped during mint" : withdrawal.Reason;
            // RolledBack only when nothing is left: otherwise the row stays Pending, so cleanup (-IncludeOrphaned) finishes the job.
            TryUpsert(Registry(token, withdrawal.Complete ? ManagedTokenStates.RolledBack : ManagedTokenStates.Pending));
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "rollback", withdrawal.Complete ? LedgerOutcome.RolledBack : LedgerOutcome.Failed,
                token, _purpose, detail: withdrawal.Problems.Count == 0 ? reason : reason + "; " + string.Join("; ", withdrawal.Problems),
                errorId: withdrawal.Complete ? ErrorIds.ManagedTokenRolledBack : ErrorIds.RollbackFailed);

            if (withdrawal.Complete)
            {
                var message = $"Managed token '{token.Name}' was rolled back: {withdrawal.Reason}. The token was revoked and nothing was left stored.";
                return new ErrorRecord(new InvalidOperationException(message, withdrawal.Cause), ErrorIds.ManagedTokenRolledBack, ErrorCategory.WriteError, token.Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the cause (see the inner exception and Get-CfLedger -OperationId " + _recorder.OperationId + "), then run the command again." },
                };
            }
            var pending = "The ledger keeps the token as Pending so Remove-CfExpiredManagedToken -IncludeOrphaned can finish the job" +
                          (withdrawal.LeftStored.Count == 0 ? "." : $" (it still has to remove {string.Join(", ", withdrawal.LeftStored)}).");
            if (withdrawal.Revoked)
            {
                var partial = $"Managed token '{token.Name}' ({token.Id}) failed ({withdrawal.Reason}); it was revoked, but its rollback did not finish: {string.Join("; ", withdrawal.Problems)}. {pending}";
                return new ErrorRecord(new InvalidOperationException(partial, withdrawal.Cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, token.Name)
                {
                    ErrorDetails = new ErrorDetails(partial) { RecommendedAction = "Run Remove-CfExpiredManagedToken -IncludeOrphaned once the destination works again (the stored copy is dead)." },
                };
            }
            // Not revoked: the value must not be lost, so it travels in the error (as a SecureString).
            var failure = $"Managed token '{token.Name}' ({token.Id}) failed ({withdrawal.Reason}) and its rollback did not finish: {string.Join("; ", withdrawal.Problems)}. " +
                          $"The token's value is in this error's TargetObject.Value (SecureString). {pending}";
            return new ErrorRecord(new InvalidOperationException(failure, withdrawal.Cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, credential.ToCallerCredential())
            {
                ErrorDetails = new ErrorDetails(failure) { RecommendedAction = $"Revoke it with Remove-CfToken -Id {token.Id}, or run Remove-CfExpiredManagedToken -IncludeOrphaned." },
            };
        }

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause) =>
            throw new NotSupportedException("A managed token is withdrawn, never kept, when it cannot be delivered.");

        public override void Rescued(IssuedCredential credential, string reason) =>
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "rescue", LedgerOutcome.Pending, credential.Token, _purpose,
                detail: $"{reason}; the value is in ${Secrets.RescuedCredentials.VariableName}", errorId: ErrorIds.RollbackFailed);

        private void TryUpsert(ManagedTokenRecord record)
        {
            try { _recorder.Upsert(record); }
            catch (Exception ex) when (CredentialIssuance.IsFlowFailure(ex) && !(ex is PipelineStoppedException)) { /* the rollback entry still records the outcome */ }
        }

        private ManagedTokenRecord Registry(CfToken token, string state) => new ManagedTokenRecord
        {
            TokenId = token.Id,
            TokenName = token.Name,
            Scope = token.Scope.ToString(),
            Purpose = _purpose,
            AccountId = _session.AccountId,
            CreatedOn = token.IssuedOn ?? DateTimeOffset.UtcNow,
            ExpiresOn = token.ExpiresOn,
            Destinations = _where.ToList(),
            State = state,
        };
    }
}
