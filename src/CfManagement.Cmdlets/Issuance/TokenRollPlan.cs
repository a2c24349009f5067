using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;

namespace CfManagement.Issuance
{
    /// <summary>
    /// Invoke-CfTokenRoll on the issuance sequence: Cloudflare kills the old value when it issues the new one, so the
    /// new value cannot be withdrawn; it is delivered, or kept for the caller.
    /// </summary>
    internal sealed class TokenRollPlan : IssuancePlan
    {
        private readonly IFlowContext _context;
        private readonly CfSession _session;
        private readonly LedgerRecorder _recorder;
        private readonly CfToken _token;
        private readonly bool _asPlainText;

        public TokenRollPlan(IFlowContext context, CfSession session, LedgerRecorder recorder, CfToken token, IReadOnlyList<ICredentialDestination> destinations, bool asPlainText)
            : base(destinations)
        {
            _context = context;
            _session = session;
            _recorder = recorder;
            _token = token;
            _asPlainText = asPlainText;
        }

        public override bool CanWithdraw => false;

        public override IssuedCredential Issue()
        {
            var value = _context.AwaitCritical(ct => _session.Tokens.RollAsync(_token.Scope, _session.AccountId, _token.Id, ct));
            return IssuedCredential.ApiToken(_token, value, DateTimeOffset.UtcNow);
        }

        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException)) ExceptionDispatchInfo.Capture(error).Throw();
            var api = (CloudflareApiException)error;
            _recorder.TryRecord(LedgerEntryKind.Rotation, "roll", LedgerOutcome.Failed, _token, detail: api.Message, errorId: ApiErrorMapper.Classify(api).ErrorId);
            _context.Writer.Error(ApiErrorMapper.ToErrorRecord(api, _token));
        }

        public override void Issued(IssuedCredential credential)
        {
            _recorder.TryRecord(LedgerEntryKind.Rotation, "roll", LedgerOutcome.Succeeded, _token, destination: Where);
            NoteRotationOfManagedToken(credential.IssuedOn);
        }

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) => SecretMetadata.For(_token, DateTimeOffset.UtcNow);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            _recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Succeeded, _token, destination: destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error) =>
            _recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Failed, _token, destination: destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);

        public override object Result(IssuedCredential credential) =>
            credential.ToCallerCredential(Destinations.Count == 0 ? null : Where, _asPlainText);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal) =>
            throw new NotSupportedException("A rolled value cannot be withdrawn.");

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause)
        {
            var message = $"Token '{_token.Name}' ({_token.Id}) was rolled, but writing the new value to {failedAt?.Description ?? "its destination"} failed after retries: {cause?.Message ?? reason}. " +
                          "The old value no longer works; the new value is in this error's TargetObject.Value as a SecureString.";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, credential.ToCallerCredential())
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Store it now, e.g. $err = $Error[0]; Set-Secret -Name <name> -Secret $err.TargetObject.Value -Vault <vault>; then fix the destination.",
                },
            };
        }

        public override void Rescued(IssuedCredential credential, string reason) =>
            _recorder.TryRecord(LedgerEntryKind.Rotation, "rescue", LedgerOutcome.Pending, _token,
                detail: $"stopped after the roll ({reason}); the new value is in ${RescuedCredentials.VariableName}", errorId: ErrorIds.DestinationWriteFailed);

        /// <summary>A managed token keeps its registry row current: when it was last rolled.</summary>
        private void NoteRotationOfManagedToken(DateTimeOffset rolledOn)
        {
            var ledger = _recorder.Ledger;
            try
            {
                ManagedTokenRecord? record = null;
                _context.AwaitEvenIfStopping(async ct => record = await ledger.GetManagedTokenAsync(_token.Id, ct).ConfigureAwait(false));
                if (record == null) return;
                var writtenTo = Destinations.Select(d => d.Description).ToList();
                var stale = record.Destinations.Where(d => d != "caller" && !writtenTo.Contains(d)).ToList();
                if (stale.Count > 0)
                    _context.Writer.Warning($"Managed token '{record.TokenName}' was stored in {string.Join(", ", stale)}; those copies now hold the dead old value. " +
                                            "Roll with -Vault/-SecretName, -WorkerScript/-WorkerSecretName or -SecretsStore/-SecretsStoreSecretName naming them to keep them current.");
                _recorder.Upsert(record.With(lastRotatedOn: rolledOn));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && CredentialIssuance.IsFlowFailure(ex))
            {
                _context.Writer.Warning($"The ledger's managed-token registry was not updated for {_token.Id}: {ex.Message}");
            }
        }
    }
}
