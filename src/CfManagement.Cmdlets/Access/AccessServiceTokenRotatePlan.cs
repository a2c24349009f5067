using System;
using System.Collections.Generic;
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
    /// Invoke-CfAccessServiceTokenRotate on the issuance sequence: rotate → record → deliver the new secret (and the
    /// unchanged client id) → done. The new secret is never withdrawn: it is delivered, or kept for the caller, exactly
    /// like a rolled API token value.
    /// </summary>
    /// <remarks>
    /// Why a rotate cannot be withdrawn, with or without a grace window: Cloudflare has no call that makes the previous
    /// secret current again. Without a grace window the old secret died with the rotate; with one it dies at the window's
    /// end whatever we do next, and another rotate (the only "undo" there is) would kill it at once, because Cloudflare
    /// keeps a single previous secret. So compensation could only make things worse; the new secret is the future of the
    /// token and must not be dropped. What the grace window changes is the urgency the caller is told: the old secret (and
    /// every copy of it still stored) keeps working until then, so there is time to deliver the kept secret by hand.
    /// Destinations already written keep the new secret (we never hold the old one to put back).
    /// </remarks>
    internal sealed class AccessServiceTokenRotatePlan : IssuancePlan
    {
        private readonly IFlowContext _context;
        private readonly CfSession _session;
        private readonly AccessLedger _ledger;
        private readonly CfAccessServiceToken _token;
        private readonly TimeSpan? _grace;
        private readonly bool _asPlainText;
        private DateTimeOffset? _previousExpiresAt;

        public AccessServiceTokenRotatePlan(IFlowContext context, CfSession session, AccessLedger ledger, CfAccessServiceToken token, TimeSpan? grace,
            IReadOnlyList<ICredentialDestination> destinations, bool asPlainText)
            : base(destinations)
        {
            _context = context;
            _session = session;
            _ledger = ledger;
            _token = token;
            _grace = grace;
            _asPlainText = asPlainText;
        }

        public override bool CanWithdraw => false;

        private string OldSecretFate => _previousExpiresAt.HasValue
            ? $"the previous secret keeps working until {_previousExpiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"
            : "the previous secret stopped working at once";

        public override IssuedCredential Issue()
        {
            // The window starts when the request is sent, so a slow answer does not shorten it.
            _previousExpiresAt = _grace.HasValue ? DateTimeOffset.UtcNow + _grace.Value : (DateTimeOffset?)null;
            var grace = _previousExpiresAt;
            var issued = _context.AwaitCritical(ct => _session.AccessServiceTokens.RotateAsync(_session.AccountId!, _token.Id, grace, ct));
            return IssuedCredential.AccessServiceToken(issued.ServiceToken, issued.ClientSecret, DateTimeOffset.UtcNow);
        }

        /// <summary>
        /// Refused: nothing changed. Lost (reset, timeout, 5xx): the rotate may have happened, and then the secret it issued
        /// is gone with the answer; it is not retried (a second rotate would kill the first's secret too). The error says so.
        /// </summary>
        public override void IssueFailed(Exception error)
        {
            if (!(error is CloudflareApiException api)) { ExceptionDispatchInfo.Capture(error).Throw(); return; }
            var (errorId, _) = ApiErrorMapper.Classify(api);
            var record = ApiErrorMapper.ToErrorRecord(api, _token, ErrorIds.AccessServiceTokenNotFound,
                $"Check the id with Get-CfAccessServiceToken; the token may have been deleted.");
            if (AccessApiOutcome.MayHaveHappened(api))
            {
                var fate = _grace.HasValue
                    ? "If it did, the old secret keeps working until the grace window you gave ends, and the new one was lost with the answer."
                    : "If it did, the old secret no longer works and the new one was lost with the answer.";
                record.ErrorDetails = new ErrorDetails($"{api.Message} The rotate was not retried, because a second rotate would kill the secret the first one issued; it may have happened. {fate}")
                {
                    RecommendedAction = $"Rotate again (Invoke-CfAccessServiceTokenRotate -Id {_token.Id} with the same destinations) to get a secret that is delivered; check consumers with Test-CfAccessServiceToken.",
                };
            }
            _ledger.TryRecord(LedgerEntryKind.Rotation, "rotate", LedgerOutcome.Failed, _token, detail: record.ErrorDetails.Message, errorId: errorId);
            _context.Writer.Error(record);
        }

        public override void Issued(IssuedCredential credential) =>
            _ledger.TryRecord(LedgerEntryKind.Rotation, "rotate", LedgerOutcome.Succeeded, credential.ServiceToken, destination: Where, detail: OldSecretFate);

        public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) =>
            AccessSecretMetadata.For(credential.ServiceToken!, credential.IssuedOn);

        public override void Stored(IssuedCredential credential, ICredentialDestination destination) =>
            _ledger.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Succeeded, credential.ServiceToken, destination: destination.Description);

        public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error) =>
            _ledger.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Failed, credential.ServiceToken, destination: destination.Description,
                detail: error.Message, errorId: ErrorIds.DestinationWriteFailed);

        public override object Result(IssuedCredential credential) =>
            credential.ToCallerAccessCredential(Destinations.Count == 0 ? null : Where, _asPlainText, _previousExpiresAt);

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal) =>
            throw new NotSupportedException("A rotated secret cannot be withdrawn.");

        public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause)
        {
            var message = $"Access service token '{_token.Name}' ({_token.Id}) was rotated, but writing the new secret to {failedAt?.Description ?? "its destination"} failed after retries: {cause?.Message ?? reason}. " +
                          $"{Capitalized(OldSecretFate)}; the new client secret is in this error's TargetObject.ClientSecret as a SecureString (the client id is unchanged).";
            var deadline = _previousExpiresAt.HasValue ? $" before {_previousExpiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : " now";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError,
                credential.ToCallerAccessCredential(null, false, _previousExpiresAt))
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = $"Store it{deadline}, e.g. $e = $Error[0]; Set-Secret -Name <name> -Secret $e.TargetObject.ClientSecret -Vault <vault>; then fix the destination.",
                },
            };
        }

        public override void Rescued(IssuedCredential credential, string reason) =>
            _ledger.TryRecord(LedgerEntryKind.Rotation, "rescue", LedgerOutcome.Pending, credential.ServiceToken,
                detail: $"stopped after the rotate ({reason}); {OldSecretFate}; the new client secret is in ${RescuedCredentials.VariableName}", errorId: ErrorIds.DestinationWriteFailed);

        private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
