using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Managed
{
    /// <summary>
    /// New-CfManagedToken -AccessServiceToken: the Access service token create (name free → Pending trace → create, a
    /// lost create found by name and deleted → record → deliver, any failure or Ctrl+C deletes the token) with the
    /// managed-token registry on top, as for a managed API token: a row Pending right after the create, Active once
    /// delivered, RolledBack when the withdrawal left nothing (else it stays Pending for cleanup). The ledger entries are
    /// ManagedToken mint/store/activate/rollback with scope AccessServiceToken, which is also the registry row's scope:
    /// Get-CfManagedToken and Remove-CfExpiredManagedToken tell the two kinds apart by it.
    /// </summary>
    internal sealed class ManagedAccessServiceTokenPlan : AccessServiceTokenCreatePlan
    {
        private readonly string _purpose;

        public ManagedAccessServiceTokenPlan(IFlowContext context, CfSession session, AccessLedger ledger, string name, AccessDuration duration,
            string purpose, IReadOnlyList<ICredentialDestination> destinations, bool asPlainText)
            : base(context, session, ledger, name, duration, destinations, asPlainText, purpose, LedgerEntryKind.ManagedToken, "mint")
        {
            _purpose = purpose;
        }

        public override void Issued(IssuedCredential credential)
        {
            base.Issued(credential);
            Ledger.Recorder.Upsert(Registry(credential.ServiceToken!, ManagedTokenStates.Pending));
        }

        public override void Complete(IssuedCredential credential)
        {
            Ledger.Recorder.Upsert(Registry(credential.ServiceToken!, ManagedTokenStates.Active));
            Ledger.Record(Kind, "activate", LedgerOutcome.Succeeded, credential.ServiceToken, purpose: _purpose, destination: Destination);
        }

        public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
        {
            // RolledBack only when nothing is left: otherwise the row stays Pending, so cleanup (-IncludeOrphaned) finishes the job.
            try { Ledger.Recorder.Upsert(Registry(credential.ServiceToken!, withdrawal.Complete ? ManagedTokenStates.RolledBack : ManagedTokenStates.Pending)); }
            catch (Exception ex) when (CredentialIssuance.IsFlowFailure(ex) && !(ex is PipelineStoppedException)) { /* the rollback entry still records the outcome */ }
            return base.WithdrawFinished(credential, withdrawal);
        }

        public override object Result(IssuedCredential credential)
        {
            var token = credential.ServiceToken!;
            var where = Destinations.Count == 0 ? new List<string> { "caller" } : Destinations.Select(d => d.Description).ToList();
            var secret = credential.Parts.First(p => p.IsSecret).SecretValue!;
            var value = Destinations.Count == 0 ? (AsPlainText ? Http.SecureStringReader.ToPlainText(secret) : (object)secret) : null;
            return new CfManagedToken(token.Id, token.Name, _purpose, CfTokenScope.Account, token.ExpiresAt, where, ManagedTokenStates.Active,
                "active", credential.IssuedOn, value, CfManagedToken.AccessServiceTokenKind, token.ClientId);
        }

        private ManagedTokenRecord Registry(CfAccessServiceToken token, string state) => new ManagedTokenRecord
        {
            TokenId = token.Id,
            TokenName = token.Name,
            Scope = AccessLedger.Scope,
            Purpose = _purpose,
            AccountId = Session.AccountId,
            CreatedOn = token.CreatedAt ?? DateTimeOffset.UtcNow,
            ExpiresOn = token.ExpiresAt,
            Destinations = Destinations.Count == 0 ? new List<string> { "caller" } : Destinations.Select(d => d.Description).ToList(),
            State = state,
        };
    }
}
