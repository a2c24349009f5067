using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Access;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Rotation;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Rotation
{
    /// <summary>
    /// <para type="synopsis">Stores a rescued credential (a rolled or rotated value whose destination write failed, kept in $CfRescuedCredentials or an error's TargetObject) into a SecretManagement vault with its metadata and companions, without another roll.</para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "CfRescuedCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TokenIdSet)]
    [OutputType(typeof(CfTokenCredential), typeof(CfAccessServiceTokenCredential))]
    public sealed class SaveCfRescuedCredentialCommand : CfSessionCmdlet
    {
        private const string TokenIdSet = "TokenId";
        private const string InputObjectSet = "InputObject";

        /// <summary>The token id (API token) or Access service token id whose newest rescued credential to store.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenIdSet, ValueFromPipelineByPropertyName = true)]
        public string? TokenId { get; set; }

        /// <summary>A CfTokenCredential or CfAccessServiceTokenCredential holding its value (e.g. $Error[0].TargetObject).</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>The vault secret name; defaults to the token's name.</summary>
        [Parameter]
        public string? SecretName { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (ParameterSetName == TokenIdSet && TokenRotationReader.CheckTokenId(TokenId, nameof(TokenId)) is ErrorRecord badId) errors.Add(badId);
            errors.AddRange(DestinationOptions.Validate(this, Vault, SecretName, null, null, null, null));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            object? credential;
            if (ParameterSetName == InputObjectSet)
            {
                credential = InputObject?.BaseObject;
                if (Secret(credential) == null)
                {
                    var message = $"-InputObject is not a rescued credential with its value: expected a CfTokenCredential or CfAccessServiceTokenCredential holding a SecureString (got {credential?.GetType().Name ?? "null"}).";
                    WriteError(new ErrorRecord(new ArgumentException(message, nameof(InputObject)), ErrorIds.InvalidRescuedCredential, ErrorCategory.InvalidArgument, credential?.ToString())
                    {
                        ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Pass an item of $CfRescuedCredentials, or the TargetObject of a DestinationWriteFailed error; or use -TokenId." },
                    });
                    return;
                }
            }
            else
            {
                credential = Rescued().LastOrDefault(c => IdOf(c) == TokenId && Secret(c) != null);
                if (credential == null)
                {
                    var message = $"${RescuedCredentials.VariableName} holds no credential with a value for token id '{TokenId}'.";
                    WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.RescuedCredentialNotFound, ErrorCategory.ObjectNotFound, TokenId)
                    {
                        ErrorDetails = new ErrorDetails(message)
                        {
                            RecommendedAction = "Rescued values live only in the session that rescued them. If that session is gone the value is lost; roll the token again (Invoke-CfTokenRoll or Invoke-CfTokenRotation).",
                        },
                    });
                    return;
                }
            }

            var issued = ToIssued(credential!);
            var vault = new VaultDestination(Vault!, SecretName ?? issued.Name);
            if (!ShouldProcess($"{issued} ({(issued.IsApiToken ? "API token" : "Access service token")}, issued {issued.IssuedOn.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)", $"Store the rescued value in {vault.Description} with its metadata")) return;

            var session = CurrentSession;
            var recorder = new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
            var metadata = issued.IsApiToken ? SecretMetadata.For(issued.Token, issued.IssuedOn) : AccessSecretMetadata.For(issued.ServiceToken!, issued.IssuedOn);
            var scope = issued.IsApiToken ? issued.Token.Scope.ToString() : "AccessServiceToken";
            try
            {
                vault.Write(this, issued, metadata);
            }
            catch (DestinationException ex)
            {
                recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Failed, tokenId: issued.Id, tokenName: issued.Name, scopeName: scope,
                    destination: vault.Description, detail: "rescued value: " + ex.Message, errorId: ErrorIds.DestinationWriteFailed);
                var message = $"Storing the rescued value of {issued} in {vault.Description} failed: {ex.Message} The value stays in ${RescuedCredentials.VariableName}.";
                WriteError(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, issued.ToString())
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Fix the vault (Test-SecretVault) and run the same command again; do not roll the token, or the rescued value dies." },
                });
                return;
            }
            recorder.TryRecord(LedgerEntryKind.Rotation, "store", LedgerOutcome.Succeeded, tokenId: issued.Id, tokenName: issued.Name, scopeName: scope,
                destination: vault.Description, detail: "rescued value stored");
            Forget(credential!);
            WriteVerbose($"Stored the rescued value of {issued} in {vault.Description}.");
            WriteObject(issued.IsApiToken ? issued.ToCallerCredential(vault.Description) : (object)issued.ToCallerAccessCredential(vault.Description));
        }

        private static string? IdOf(object? credential) => credential switch
        {
            CfTokenCredential t => t.Id,
            CfAccessServiceTokenCredential a => a.Id,
            _ => null,
        };

        private static SecureString? Secret(object? credential) => credential switch
        {
            CfTokenCredential t => t.Value as SecureString,
            CfAccessServiceTokenCredential a => a.ClientSecret as SecureString,
            _ => null,
        };

        private static IssuedCredential ToIssued(object credential) => credential switch
        {
            CfTokenCredential t => IssuedCredential.ApiToken(t.Token, (SecureString)t.Value!, t.IssuedOn),
            CfAccessServiceTokenCredential a => IssuedCredential.AccessServiceToken(a.ServiceToken, (SecureString)a.ClientSecret!, a.IssuedOn),
            _ => throw new ArgumentException("Not a credential.", nameof(credential)),
        };

        private List<object> Rescued()
        {
            var value = Unwrapped(SessionState.PSVariable.GetValue("global:" + RescuedCredentials.VariableName));
            var list = new List<object>();
            if (value is IEnumerable items && !(value is string))
            {
                foreach (var item in items)
                    if (item != null) list.Add(item is PSObject ps ? ps.BaseObject : item);
            }
            else if (value != null)
            {
                list.Add(value is PSObject single ? single.BaseObject : value);
            }
            return list;
        }

        /// <summary>A variable assigned in script (e.g. from New-Object) holds its value wrapped in a PSObject.</summary>
        private static object? Unwrapped(object? value) => value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;

        /// <summary>Takes the stored credential out of $CfRescuedCredentials (it is in the vault now).</summary>
        private void Forget(object credential)
        {
            var value = Unwrapped(SessionState.PSVariable.GetValue("global:" + RescuedCredentials.VariableName));
            if (value is List<object> list)
            {
                list.RemoveAll(item => ReferenceEquals(item is PSObject ps ? ps.BaseObject : item, credential));
                return;
            }
            if (value is IEnumerable items && !(value is string))
            {
                var kept = new List<object>();
                foreach (var item in items)
                    if (item != null && !ReferenceEquals(item is PSObject ps ? ps.BaseObject : item, credential)) kept.Add(item);
                SessionState.PSVariable.Set("global:" + RescuedCredentials.VariableName, kept);
            }
        }
    }
}
