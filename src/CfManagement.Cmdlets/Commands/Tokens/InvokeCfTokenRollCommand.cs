using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Rolls tokens: Cloudflare issues a new value and kills the old one at once. The value is written to the destination you name before the command returns, and is never dropped.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CfTokenRoll", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfTokenCredential))]
    public sealed class InvokeCfTokenRollCommand : TokenTargetCmdlet
    {
        /// <summary>SecretManagement vault to write the new value to.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>Vault secret name; defaults to the token name.</summary>
        [Parameter]
        public string? SecretName { get; set; }

        /// <summary>Worker script whose secret receives the new value.</summary>
        [Parameter]
        public string? WorkerScript { get; set; }

        /// <summary>Worker secret (binding) name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? WorkerSecretName { get; set; }

        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            var errors = DestinationOptions.Validate(this, Vault, SecretName, WorkerScript, WorkerSecretName);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (DestinationOptions.CheckSession(session, WorkerScript) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var targets = ResolveTargets().ToList();
            if (targets.Count == 0) return;
            var recorder = new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
            foreach (var token in targets)
            {
                var destinations = DestinationOptions.Create(token.Name, Vault, SecretName, WorkerScript, WorkerSecretName);
                var where = destinations.Count == 0 ? "returned to the caller" : string.Join(", ", destinations.Select(d => d.Description));
                if (!ShouldProcess($"{token.Name} ({token.Id})", $"Roll: issue a new value (the old one stops working at once); new value {where}")) continue;

                System.Security.SecureString value;
                try
                {
                    // Not abandoned on Ctrl+C: once Cloudflare issues the new value, the answer is the only copy.
                    value = AwaitCritical(ct => session.Tokens.RollAsync(token.Scope, session.AccountId, token.Id, ct));
                }
                catch (Api.CloudflareApiException ex)
                {
                    recorder.TryRecord(LedgerEntryKind.Rotation, "roll", LedgerOutcome.Failed, token, detail: ex.Message, errorId: ApiErrorMapper.Classify(ex).ErrorId);
                    WriteApiError(ex, token);
                    continue;
                }
                var rolledOn = DateTimeOffset.UtcNow;
                recorder.TryRecord(LedgerEntryKind.Rotation, "roll", LedgerOutcome.Succeeded, token, destination: destinations.Count == 0 ? "caller" : where);
                NoteRotationOfManagedToken(recorder, token.Id, rolledOn, destinations.Select(d => d.Description).ToList());

                var failed = WriteDestinations(recorder, token, value, destinations);
                if (Stopping)
                {
                    // Stopped after the roll: the destination has the value, or it is kept in $CfRescuedCredentials.
                    if (failed != null || destinations.Count == 0)
                    {
                        RescuedCredentials.Keep(this, new CfTokenCredential(token, value, null, rolledOn));
                        recorder.TryRecord(LedgerEntryKind.Rotation, "rescue", LedgerOutcome.Pending, token,
                            detail: "stopped after the roll; the new value is in $" + RescuedCredentials.VariableName, errorId: ErrorIds.DestinationWriteFailed);
                    }
                    throw new PipelineStoppedException();
                }
                var credential = new CfTokenCredential(token, AsPlainText ? SecureStringReader.ToPlainText(value) : (object)value,
                    destinations.Count == 0 ? null : where, rolledOn);
                if (failed == null)
                {
                    WriteObject(credential);
                    continue;
                }
                // The old value is already dead: the new one must reach the caller even though the destination refused it.
                var secureCredential = new CfTokenCredential(token, value, null, rolledOn);
                var message = $"Token '{token.Name}' ({token.Id}) was rolled, but writing the new value to {failed.Value.Destination} failed after retries: {failed.Value.Error}. " +
                              "The old value no longer works; the new value is in this error's TargetObject.Value as a SecureString.";
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, secureCredential)
                {
                    ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = "Store it now, e.g. $err = $Error[0]; Set-Secret -Name <name> -Secret $err.TargetObject.Value -Vault <vault>; then fix the destination.",
                    },
                });
            }
        }

        /// <summary>A managed token keeps its registry row current: when it was last rolled.</summary>
        private void NoteRotationOfManagedToken(LedgerRecorder recorder, string tokenId, DateTimeOffset rolledOn, List<string> writtenTo)
        {
            var ledger = recorder.Ledger;
            try
            {
                ManagedTokenRecord? record = null;
                AwaitEvenIfStopping(async ct => record = await ledger.GetManagedTokenAsync(tokenId, ct).ConfigureAwait(false));
                if (record == null) return;
                var stale = record.Destinations.Where(d => d != "caller" && !writtenTo.Contains(d)).ToList();
                if (stale.Count > 0 && !Stopping)
                    WriteWarning($"Managed token '{record.TokenName}' was stored in {string.Join(", ", stale)}; those copies now hold the dead old value. " +
                                 "Roll with -Vault/-SecretName or -WorkerScript/-WorkerSecretName naming them to keep them current.");
                recorder.Upsert(record.With(lastRotatedOn: rolledOn));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                if (!Stopping) WriteWarning($"The ledger's managed-token registry was not updated for {tokenId}: {ex.Message}");
            }
        }

        private (string Destination, string Error)? WriteDestinations(LedgerRecorder recorder, CfToken token, System.Security.SecureString value, List<ISecretDestination> destinations)
        {
            var metadata = SecretMetadata.For(token, DateTimeOffset.UtcNow);
            foreach (var destination in destinations)
            {
                try
                {
                    DestinationOptions.WriteWithRetry(this, destination, value, metadata);
                    recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Succeeded, token, destination: destination.Description);
                }
                catch (DestinationException ex)
                {
                    recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Failed, token, destination: destination.Description,
                        detail: ex.Message, errorId: ErrorIds.DestinationWriteFailed);
                    return (destination.Description, ex.Message);
                }
            }
            return null;
        }
    }
}
