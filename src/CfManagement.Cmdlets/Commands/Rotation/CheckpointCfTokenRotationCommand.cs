using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Rotation;
using CfManagement.Validation;

namespace CfManagement.Commands.Rotation
{
    /// <summary>
    /// <para type="synopsis">Records in the ledger that a staged rotation began, or that one of its stages (or one consumer of a stage) started, completed, failed or was skipped: the checkpoint Invoke-CfTokenRotation resumes from. Never a value.</para>
    /// </summary>
    [Cmdlet(VerbsData.Checkpoint, "CfTokenRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = StageSet)]
    [OutputType(typeof(CfTokenRotation))]
    public sealed class CheckpointCfTokenRotationCommand : CfSessionCmdlet
    {
        private const string NewSet = "New";
        private const string StageSet = "Stage";

        /// <summary>Start a new rotation of the credential -SecretName in -Vault; outputs it (with its Id).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NewSet)]
        public SwitchParameter New { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        public string? SecretName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>ApiToken, AccessServiceToken or Unknown (Get-CfVaultCredential's Kind).</summary>
        [Parameter(ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        [ValidateSet("ApiToken", "AccessServiceToken", "Unknown")]
        public string Kind { get; set; } = "Unknown";

        /// <summary>The rotation's id (from Checkpoint-CfTokenRotation -New or Get-CfTokenRotation).</summary>
        [Parameter(Mandatory = true, ParameterSetName = StageSet, ValueFromPipelineByPropertyName = true)]
        public string? Id { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = StageSet)]
        public CfTokenRotationStage Stage { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = StageSet)]
        public CfTokenRotationStatus Status { get; set; }

        /// <summary>The consumer (its destination string) this Distribute or Validate record is about; omit for the stage itself.</summary>
        [Parameter(ParameterSetName = StageSet)]
        public string? Consumer { get; set; }

        /// <summary>The Cloudflare token id or Access service token id, when known.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TokenId { get; set; }

        /// <summary>The ErrorId of the failure (with -Status Failed).</summary>
        [Parameter(ParameterSetName = StageSet)]
        public string? ErrorId { get; set; }

        /// <summary>One line of detail (never a value: anything shaped like a credential is refused).</summary>
        [Parameter]
        public string? Detail { get; set; }

        /// <summary>Output the rotation as it stands after the record (-New always does).</summary>
        [Parameter(ParameterSetName = StageSet)]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        private static readonly string Actor = $"{Environment.UserName}@{Environment.MachineName}";

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (ParameterSetName == NewSet)
            {
                if (TokenRotationReader.CheckText(SecretName, nameof(SecretName), 256) is ErrorRecord badName) errors.Add(badName);
                if (TokenRotationReader.CheckText(Vault, nameof(Vault), 256) is ErrorRecord badVault) errors.Add(badVault);
                if (SecretName == null) errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(SecretName), null, "-SecretName is required.", "Pass the credential's vault secret name."));
                if (Vault == null) errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(Vault), null, "-Vault is required.", "Pass the vault that holds the credential."));
            }
            else
            {
                if (InputValidator.CheckOperationId(Id, nameof(Id)) is ErrorRecord badId) errors.Add(badId);
                if (Stage == CfTokenRotationStage.None)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidRotationStage, nameof(Stage), Stage, "-Stage None is not a stage that can be recorded.", "Pass Verify, Roll, Distribute or Validate."));
                if (Consumer != null)
                {
                    if (Stage != CfTokenRotationStage.Distribute && Stage != CfTokenRotationStage.Validate)
                        errors.Add(InputValidator.Invalid(ErrorIds.InvalidRotationStage, nameof(Consumer), Consumer, $"-Consumer is recorded only for the Distribute and Validate stages, not {Stage}.", "Omit -Consumer, or pass -Stage Distribute or -Stage Validate."));
                    if (TokenRotationReader.CheckText(Consumer, nameof(Consumer), 512) is ErrorRecord badConsumer) errors.Add(badConsumer);
                }
                if (ErrorId != null && !System.Text.RegularExpressions.Regex.IsMatch(ErrorId, "^[A-Za-z][A-Za-z0-9_.,-]{0,199}$"))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(ErrorId), ErrorId, $"-ErrorId '{ErrorId}' is not an error id (a letter, then letters, digits, '_', '.', ',' or '-'; at most 200).", "Pass the error's FullyQualifiedErrorId, e.g. DestinationWriteFailed or DestinationWriteFailed,Invoke-CfTokenRoll."));
                else if (TokenRotationReader.CheckText(ErrorId, nameof(ErrorId), 200) is ErrorRecord badErrorId) errors.Add(badErrorId);
            }
            if (TokenRotationReader.CheckTokenId(TokenId, nameof(TokenId)) is ErrorRecord badToken) errors.Add(badToken);
            if (TokenRotationReader.CheckText(Detail, nameof(Detail), 2000) is ErrorRecord badDetail) errors.Add(badDetail);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            if (ParameterSetName == NewSet) StartNew();
            else RecordStage();
        }

        private void StartNew()
        {
            var destination = TokenRotationLedger.VaultDestination(Vault!, SecretName!);
            if (!ShouldProcess(destination, "Record the start of a staged rotation in the ledger")) return;
            var ledger = LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            var open = TokenRotationReader.Load(this, ledger)
                .Where(r => !r.IsComplete && string.Equals(r.SecretName, SecretName, StringComparison.Ordinal) && string.Equals(r.Vault, Vault, StringComparison.OrdinalIgnoreCase))
                .LastOrDefault();
            if (open != null)
            {
                var message = $"A rotation of '{SecretName}' in vault '{Vault}' is already under way or stopped halfway (id {open.Id}, last completed stage {open.Stage}, {open.State}); a second one could roll the token twice.";
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.RotationInProgress, ErrorCategory.ResourceExists, open)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Resume it: Invoke-CfTokenRotation -SecretName '{SecretName}' -Vault '{Vault}' (it continues from the last completed stage); see it with Get-CfTokenRotation -Id {open.Id}." },
                });
                return;
            }
            var id = Guid.NewGuid().ToString("N");
            Append(ledger, new LedgerEntry
            {
                OperationId = id, Timestamp = DateTimeOffset.UtcNow, Kind = LedgerEntryKind.Rotation, Action = TokenRotationLedger.StartAction,
                Outcome = LedgerOutcome.Succeeded, TokenId = TokenId, TokenName = SecretName, Purpose = Kind, AccountId = CurrentSession.AccountId,
                Destination = destination, Actor = Actor, Detail = Detail,
            });
            WriteObject(TokenRotationReader.Load(this, ledger, id).Single());
        }

        private void RecordStage()
        {
            var ledger = LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            var rotation = TokenRotationReader.Load(this, ledger, Id).FirstOrDefault(r => r.Id == Id);
            if (rotation == null) { WriteError(TokenRotationReader.NotFound(Id!)); return; }
            if (rotation.IsComplete)
            {
                var message = $"Rotation {rotation.Id} of '{rotation.SecretName}' is complete; nothing more is recorded for it.";
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.RotationAlreadyCompleted, ErrorCategory.InvalidOperation, rotation)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Start a new rotation (Invoke-CfTokenRotation, or Checkpoint-CfTokenRotation -New)." },
                });
                return;
            }
            if (TokenId != null && rotation.TokenId != null && !string.Equals(TokenId, rotation.TokenId, StringComparison.Ordinal))
            {
                WriteError(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(TokenId), TokenId,
                    $"-TokenId '{TokenId}' is not the token of rotation {rotation.Id} ({rotation.TokenId}).", "Omit -TokenId, or pass the rotation's own TokenId."));
                return;
            }
            var what = Consumer == null ? $"{Stage} {Status}" : $"{Stage} {Status} for consumer {Consumer}";
            if (!ShouldProcess($"rotation {rotation.Id} of {TokenRotationLedger.VaultDestination(rotation.Vault, rotation.SecretName)}", $"Record in the ledger: {what}")) return;
            Append(ledger, new LedgerEntry
            {
                OperationId = rotation.Id, Timestamp = DateTimeOffset.UtcNow, Kind = LedgerEntryKind.Rotation,
                Action = TokenRotationLedger.StageAction(Stage, Consumer != null), Outcome = TokenRotationLedger.ToOutcome(Status),
                TokenId = TokenId ?? rotation.TokenId, TokenName = rotation.SecretName, Purpose = rotation.Kind, AccountId = CurrentSession.AccountId,
                Destination = Consumer ?? TokenRotationLedger.VaultDestination(rotation.Vault, rotation.SecretName), Actor = Actor,
                Detail = Detail, ErrorId = ErrorId,
            });
            WriteVerbose($"Rotation {rotation.Id} of '{rotation.SecretName}': recorded {what}.");
            if (PassThru) WriteObject(TokenRotationReader.Load(this, ledger, rotation.Id).Single(r => r.Id == rotation.Id));
        }

        private void Append(ILedger ledger, LedgerEntry entry)
        {
            try
            {
                AwaitEvenIfStopping(ct => ledger.AppendAsync(entry, ct));
            }
            catch (ArgumentException ex)
            {
                // SecretGuard: a field looked like a credential. The message names the field, never the value.
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.RotationTextLooksLikeSecret, ErrorCategory.InvalidArgument, ex.ParamName));
            }
            catch (LedgerException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, ledger.Location)
                {
                    ErrorDetails = new ErrorDetails($"The rotation checkpoint could not be written to the ledger ({ledger.Location}): {ex.Message}")
                    {
                        RecommendedAction = "Check the ledger (-LedgerPath / -LedgerDatabaseId) and retry; the rotation resumes from the last checkpoint that was written.",
                    },
                });
            }
        }
    }
}
