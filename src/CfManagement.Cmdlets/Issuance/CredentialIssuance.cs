using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace CfManagement.Issuance
{
    /// <summary>
    /// The one credential-issuance sequence: issue (never abandoned once sent) → record → deliver to each destination
    /// (with retries) → complete, or compensate in reverse → finalize; and whenever nothing else keeps the value, hand
    /// it to the caller (an error's TargetObject, or $CfRescuedCredentials with a ledger `rescue` entry).
    /// </summary>
    /// <remarks>
    /// Stop policy (Ctrl+C), one for every flow: the issuing request is finished, never abandoned. Then a credential
    /// that can be withdrawn (a new token) is withdrawn: what was stored is removed in reverse order and the token is
    /// revoked; one that cannot (a rolled value: the old one is already dead) is kept: delivery goes on, one attempt
    /// per destination, and whatever was not delivered goes to $CfRescuedCredentials. Nothing is written to the
    /// pipeline once it is stopping.
    /// </remarks>
    internal sealed class CredentialIssuance
    {
        public const int DeliveryAttempts = 3;
        public const string StoppedReason = "the command was stopped";

        private readonly IFlowContext _context;

        public CredentialIssuance(IFlowContext context) => _context = context;

        /// <summary>Runs the plan. The caller throws PipelineStoppedException afterwards when <see cref="IFlowContext.Stopping"/>.</summary>
        public IssuanceOutcome Run(IssuancePlan plan)
        {
            if (!plan.BeforeIssue()) return IssuanceOutcome.NotIssued;
            IssuedCredential credential;
            try
            {
                credential = plan.Issue();
            }
            catch (Exception ex) when (IsFlowFailure(ex) && !(ex is PipelineStoppedException))
            {
                plan.IssueFailed(ex);
                return IssuanceOutcome.NotIssued;
            }

            var stored = new List<ICredentialDestination>();
            ICredentialDestination? failedAt = null;
            string? reason = null;
            Exception? cause = null;
            try
            {
                plan.Issued(credential);
                reason = WithdrawOnStop(plan) ?? plan.Check(credential);
                if (reason == null)
                {
                    var metadata = plan.Metadata(credential);
                    foreach (var destination in plan.Destinations)
                    {
                        if ((reason = WithdrawOnStop(plan)) != null) break;
                        try
                        {
                            DeliverWithRetry(destination, credential, metadata);
                        }
                        catch (Exception ex) when (IsFlowFailure(ex))
                        {
                            plan.StoreFailed(credential, destination, ex);
                            failedAt = destination;
                            cause = ex;
                            reason = _context.Stopping && plan.CanWithdraw ? StoppedReason : $"delivery to {destination.Description} failed";
                            break;
                        }
                        stored.Add(destination);
                        plan.Stored(credential, destination);
                    }
                }
                if (reason == null) reason = WithdrawOnStop(plan);
                if (reason == null) plan.Complete(credential);
            }
            catch (Exception ex) when (IsFlowFailure(ex))
            {
                cause = ex;
                reason = ex is PipelineStoppedException || _context.Stopping ? StoppedReason : ex.Message;
            }

            if (reason != null && plan.CanWithdraw)
            {
                WithdrawEverywhere(plan, credential, stored, reason, cause);
                return IssuanceOutcome.Withdrawn;
            }
            // A kept credential that did not reach every destination (a destination failed, or a step around the
            // deliveries threw) goes to the caller: it must never be output as if it were delivered.
            if (reason != null && (failedAt != null || stored.Count < plan.Destinations.Count))
            {
                HandOver(plan, credential, plan.KeptError(credential, failedAt, reason, cause), reason);
                return IssuanceOutcome.Kept;
            }

            try
            {
                plan.Finalize(credential);
            }
            catch (Exception ex) when (IsFlowFailure(ex) && !(ex is PipelineStoppedException))
            {
                _context.Writer.Warning($"{credential} was delivered, but finishing the job failed: {ex.Message}");
            }
            catch (PipelineStoppedException)
            {
                // stopped while finalizing: the value is delivered; the caller rethrows the stop
            }
            if (!_context.Writer.Output(plan.Result(credential)) && stored.Count == 0)
            {
                // Stopped with the value delivered nowhere: the output was its only way out.
                Rescue(plan, credential, "stopped before the value could be returned");
                return IssuanceOutcome.Kept;
            }
            return IssuanceOutcome.Delivered;
        }

        private string? WithdrawOnStop(IssuancePlan plan) => plan.CanWithdraw && _context.Stopping ? StoppedReason : null;

        /// <summary>Up to <see cref="DeliveryAttempts"/> attempts; once stopping, one (a stop must be prompt, and the value is rescued anyway).</summary>
        private void DeliverWithRetry(ICredentialDestination destination, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    destination.Deliver(credential, metadata);
                    return;
                }
                catch (Exception ex) when (IsFlowFailure(ex) && !(ex is PipelineStoppedException) && attempt < DeliveryAttempts && !_context.Stopping)
                {
                    _context.Writer.Verbose($"Writing to {destination.Description} failed (attempt {attempt} of {DeliveryAttempts}): {ex.Message}. Retrying.");
                    _context.Pause(TimeSpan.FromMilliseconds(200 * attempt));
                    if (_context.Stopping) throw;
                }
            }
        }

        private void WithdrawEverywhere(IssuancePlan plan, IssuedCredential credential, List<ICredentialDestination> stored, string reason, Exception? cause)
        {
            var problems = new List<string>();
            var leftStored = new List<string>();
            foreach (var destination in Enumerable.Reverse(stored))
            {
                try
                {
                    destination.Remove();
                    plan.Unstored(credential, destination);
                }
                catch (Exception ex) when (IsFlowFailure(ex))
                {
                    problems.Add($"{destination.Description} could not be removed ({ex.Message})");
                    leftStored.Add(destination.Description);
                }
            }
            var revoked = false;
            try
            {
                plan.Withdraw(credential);
                revoked = true;
            }
            catch (Exception ex) when (IsFlowFailure(ex))
            {
                problems.Add($"the token could not be revoked ({ex.Message})");
            }
            var stopped = _context.Stopping || cause is PipelineStoppedException;
            var withdrawal = new Withdrawal(reason, cause, stopped, problems, leftStored, revoked);
            var error = plan.WithdrawFinished(credential, withdrawal);
            if (revoked)
            {
                _context.Writer.Error(error); // dropped once stopping: the value is dead, the ledger says what happened
                return;
            }
            HandOver(plan, credential, error, reason);
        }

        /// <summary>The value lives and nothing else keeps it: in the error's TargetObject, or (stopping) in $CfRescuedCredentials.</summary>
        private void HandOver(IssuancePlan plan, IssuedCredential credential, ErrorRecord error, string reason)
        {
            if (_context.Writer.Error(error)) return;
            Rescue(plan, credential, reason);
        }

        private void Rescue(IssuancePlan plan, IssuedCredential credential, string reason)
        {
            _context.Rescue(credential.ToCaller());
            plan.Rescued(credential, reason);
        }

        internal static bool IsFlowFailure(Exception ex) => !(ex is OutOfMemoryException || ex is StackOverflowException);
    }
}
