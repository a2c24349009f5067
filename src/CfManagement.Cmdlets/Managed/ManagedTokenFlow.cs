using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;
using CfManagement.Tokens;

namespace CfManagement.Managed
{
    /// <summary>
    /// Mint → record → store → activate, as one unit. The registry row is written as Pending right after the mint,
    /// so even a killed process leaves a trace cleanup can act on; any failure (Cloudflare, a destination, the ledger,
    /// Ctrl+C) undoes the stored secrets and revokes the token, and a rollback that cannot finish hands the value
    /// to the caller instead of dropping it.
    /// </summary>
    internal sealed class ManagedTokenFlow
    {
        private readonly CfSessionCmdlet _cmdlet;
        private readonly CfSession _session;
        private readonly LedgerRecorder _recorder;
        private readonly string _purpose;

        public ManagedTokenFlow(CfSessionCmdlet cmdlet, CfSession session, LedgerRecorder recorder, string purpose)
        {
            _cmdlet = cmdlet;
            _session = session;
            _recorder = recorder;
            _purpose = purpose;
        }

        public void Run(CfTokenScope owner, CfTokenDefinition definition, List<ISecretDestination> destinations, List<string> where, bool asPlainText)
        {
            try
            {
                _recorder.Record(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Pending, tokenName: definition.Name, purpose: _purpose,
                    destination: string.Join(", ", where));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && IsFlowFailure(ex))
            {
                // Nothing is minted unless the ledger can say so first.
                var message = $"Nothing was minted: the ledger ({_recorder.Ledger.Location}) did not accept the first record of managed token '{definition.Name}': {ex.Message}";
                _cmdlet.WriteError(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, definition.Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the ledger (see the inner exception), then run the command again." },
                });
                return;
            }
            var startedOn = DateTimeOffset.UtcNow;
            CfCreatedToken created;
            try
            {
                created = _cmdlet.Await(ct => _session.Tokens.CreateAsync(owner, _session.AccountId, definition, ct));
            }
            catch (CloudflareApiException ex)
            {
                _recorder.TryRecord(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Failed, purpose: _purpose, detail: ex.Message, errorId: ApiErrorMapper.Classify(ex).ErrorId);
                _cmdlet.WriteError(ApiErrorMapper.ToErrorRecord(ex, definition.Name));
                return;
            }
            catch (PipelineStoppedException)
            {
                RevokeUnseenMint(owner, definition.Name, startedOn);
                throw;
            }

            var token = created.Token;
            var stored = new List<ISecretDestination>();
            try
            {
                _recorder.Record(LedgerEntryKind.ManagedToken, "mint", LedgerOutcome.Succeeded, token, _purpose);
                _recorder.Upsert(Registry(token, where, ManagedTokenStates.Pending));
                TokenCreationCheck.WarnIfReduced(_cmdlet, _session, owner, definition, created);
                var metadata = Metadata(token);
                foreach (var destination in destinations)
                {
                    DestinationOptions.WriteWithRetry(_cmdlet, destination, created.Value, metadata);
                    stored.Add(destination);
                    _recorder.Record(LedgerEntryKind.ManagedToken, "store", LedgerOutcome.Succeeded, token, _purpose, destination.Description);
                }
                _recorder.Upsert(Registry(token, where, ManagedTokenStates.Active));
                _recorder.Record(LedgerEntryKind.ManagedToken, "activate", LedgerOutcome.Succeeded, token, _purpose, string.Join(", ", where));
            }
            catch (Exception ex) when (IsFlowFailure(ex))
            {
                var stopped = ex is PipelineStoppedException || _cmdlet.Stopping;
                RollBack(created, stored, where, ex);
                if (stopped) throw new PipelineStoppedException();
                return;
            }

            var value = destinations.Count == 0 ? (asPlainText ? SecureStringReader.ToPlainText(created.Value) : (object)created.Value) : null;
            _cmdlet.WriteObject(new CfManagedToken(token.Id, token.Name, _purpose, token.Scope, token.ExpiresOn, where,
                ManagedTokenStates.Active, token.Status, token.IssuedOn ?? startedOn, value));
        }

        private static bool IsFlowFailure(Exception ex) =>
            !(ex is OutOfMemoryException || ex is StackOverflowException);

        private void RollBack(CfCreatedToken created, List<ISecretDestination> stored, List<string> where, Exception cause)
        {
            var token = created.Token;
            var problems = new List<string>();
            foreach (var destination in Enumerable.Reverse(stored))
            {
                try
                {
                    destination.Remove(_cmdlet);
                    _recorder.TryRecord(LedgerEntryKind.ManagedToken, "unstore", LedgerOutcome.RolledBack, token, _purpose, destination.Description);
                }
                catch (Exception ex) when (IsFlowFailure(ex))
                {
                    problems.Add($"{destination.Description} could not be removed ({ex.Message})");
                }
            }

            var revoked = false;
            try
            {
                _cmdlet.AwaitCleanup(ct => _session.Tokens.DeleteAsync(token.Scope, _session.AccountId, token.Id, ct));
                revoked = true;
            }
            catch (Exception ex) when (IsFlowFailure(ex))
            {
                problems.Add($"the token could not be revoked ({ex.Message})");
            }

            var reason = cause is PipelineStoppedException ? "the command was stopped" : cause.Message;
            TryUpsert(Registry(token, where, revoked ? ManagedTokenStates.RolledBack : ManagedTokenStates.Pending));
            _recorder.TryRecord(LedgerEntryKind.ManagedToken, "rollback", revoked && problems.Count == 0 ? LedgerOutcome.RolledBack : LedgerOutcome.Failed,
                token, _purpose, detail: problems.Count == 0 ? reason : reason + "; " + string.Join("; ", problems),
                errorId: problems.Count == 0 ? ErrorIds.ManagedTokenRolledBack : ErrorIds.RollbackFailed);
            if (_cmdlet.Stopping) return;

            if (problems.Count == 0)
            {
                var message = $"Managed token '{token.Name}' was rolled back: {reason}. The token was revoked and nothing was left stored.";
                _cmdlet.WriteError(new ErrorRecord(new InvalidOperationException(message, cause), ErrorIds.ManagedTokenRolledBack, ErrorCategory.WriteError, token.Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the cause (see the inner exception and Get-CfLedger -OperationId " + _recorder.OperationId + "), then run the command again." },
                });
                return;
            }
            // Rollback could not finish: the value must not be lost, so it travels in the error (as a SecureString).
            var credential = new CfTokenCredential(token, created.Value, null, DateTimeOffset.UtcNow);
            var failure = $"Managed token '{token.Name}' ({token.Id}) failed ({reason}) and its rollback did not finish: {string.Join("; ", problems)}. " +
                          "The token's value is in this error's TargetObject.Value (SecureString); the ledger keeps the token as Pending so Remove-CfExpiredManagedToken -IncludeOrphaned can finish the job.";
            _cmdlet.WriteError(new ErrorRecord(new InvalidOperationException(failure, cause), ErrorIds.RollbackFailed, ErrorCategory.WriteError, credential)
            {
                ErrorDetails = new ErrorDetails(failure) { RecommendedAction = $"Revoke it with Remove-CfToken -Id {token.Id}, or run Remove-CfExpiredManagedToken -IncludeOrphaned." },
            });
        }

        /// <summary>
        /// Ctrl+C while the create call was in flight: Cloudflare may have minted a token we never saw. Find tokens of
        /// this name issued since the flow started and revoke them.
        /// </summary>
        private void RevokeUnseenMint(CfTokenScope owner, string name, DateTimeOffset startedOn)
        {
            try
            {
                _cmdlet.AwaitCleanup(async ct =>
                {
                    for (var page = 1; ; page++)
                    {
                        var result = await _session.Tokens.ListPageAsync(owner, _session.AccountId, page, ct).ConfigureAwait(false);
                        foreach (var token in result.Items.Where(t => t.Name == name && t.IssuedOn >= startedOn.AddMinutes(-1)))
                            await _session.Tokens.DeleteAsync(owner, _session.AccountId, token.Id, ct).ConfigureAwait(false);
                        if (!result.HasMore) break;
                    }
                });
                _recorder.TryRecord(LedgerEntryKind.ManagedToken, "rollback", LedgerOutcome.RolledBack, tokenName: name, purpose: _purpose, detail: "stopped during mint");
            }
            catch (Exception ex) when (IsFlowFailure(ex))
            {
                _recorder.TryRecord(LedgerEntryKind.ManagedToken, "rollback", LedgerOutcome.Failed, tokenName: name, purpose: _purpose,
                    detail: "stopped during mint; could not check for a minted token: " + ex.Message, errorId: ErrorIds.RollbackFailed);
            }
        }

        private void TryUpsert(ManagedTokenRecord record)
        {
            try { _recorder.Upsert(record); }
            catch (Exception ex) when (IsFlowFailure(ex)) { /* the rollback entry below still records the outcome */ }
        }

        private ManagedTokenRecord Registry(CfToken token, IReadOnlyList<string> destinations, string state) => new ManagedTokenRecord
        {
            TokenId = token.Id,
            TokenName = token.Name,
            Scope = token.Scope.ToString(),
            Purpose = _purpose,
            AccountId = _session.AccountId,
            CreatedOn = token.IssuedOn ?? DateTimeOffset.UtcNow,
            ExpiresOn = token.ExpiresOn,
            Destinations = destinations.ToList(),
            State = state,
        };

        private Dictionary<string, string> Metadata(CfToken token) => SecretMetadata.For(token, token.IssuedOn ?? DateTimeOffset.UtcNow, _purpose);
    }
}
