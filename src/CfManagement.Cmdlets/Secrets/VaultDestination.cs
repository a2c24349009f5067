using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Issuance;

namespace CfManagement.Secrets
{
    /// <summary>
    /// A SecretManagement vault secret (Set-Secret / Remove-Secret in the caller's runspace, so whatever vault
    /// extension the admin registered is used). Metadata (token id, expiry, scopes, purpose) goes with it; vaults
    /// that reject metadata get the runbook convention instead: companion secrets NAME__TOKEN_ID,
    /// NAME__EXPIRES_AT and NAME__SCOPES (an Access service token: the client secret under NAME, NAME__CLIENT_ID,
    /// NAME__TOKEN_ID and NAME__EXPIRES_AT).
    /// </summary>
    internal sealed class VaultDestination : ISecretDestination
    {
        public VaultDestination(string vault, string secretName)
        {
            Vault = vault;
            SecretName = secretName;
        }

        public string Vault { get; }
        public string SecretName { get; }
        public string Description => $"vault:{Vault}/{SecretName}";

        /// <summary>Null when Set-Secret can be called in this runspace; otherwise the error to stop with, before any request.</summary>
        public static ErrorRecord? CheckAvailable(PSCmdlet cmdlet)
        {
            if (cmdlet.InvokeCommand.GetCommand("Set-Secret", CommandTypes.All) != null) return null;
            var message = "-Vault needs Microsoft.PowerShell.SecretManagement (Set-Secret), which is not available in this session.";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.SecretManagementUnavailable, ErrorCategory.NotInstalled, "Set-Secret")
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Install-Module Microsoft.PowerShell.SecretManagement (and a vault such as SecretStore), register a vault, then retry; or use -WorkerScript, or omit the destination to receive the value.",
                },
            };
        }

        public void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            var value = credential.PrimarySecret;
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in metadata) table[pair.Key] = pair.Value;
            try
            {
                Invoke(cmdlet, "Set-Secret", ("Name", SecretName), ("Secret", value), ("Vault", Vault), ("Metadata", table));
            }
            catch (DestinationException ex) when (ex.Message.IndexOf("metadata", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                cmdlet.WriteVerbose($"Vault '{Vault}' does not take metadata; writing companion secrets instead.");
                Invoke(cmdlet, "Set-Secret", ("Name", SecretName), ("Secret", value), ("Vault", Vault));
                foreach (var pair in metadata.Where(p => CompanionKeys.ContainsKey(p.Key)))
                    Invoke(cmdlet, "Set-Secret", ("Name", $"{SecretName}__{CompanionKeys[pair.Key]}"), ("Secret", pair.Value), ("Vault", Vault));
            }
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            foreach (var name in new[] { SecretName }.Concat(CompanionKeys.Values.Select(k => $"{SecretName}__{k}")))
            {
                // Already gone is done (cleanup must be idempotent); Get-SecretInfo tells without guessing at error texts.
                if (!Exists(cmdlet, name)) continue;
                try
                {
                    Invoke(cmdlet, "Remove-Secret", ("Name", name), ("Vault", Vault));
                }
                catch (DestinationException) when (name != SecretName)
                {
                    // companions exist only for vaults without metadata support
                }
            }
        }

        private bool Exists(CfSessionCmdlet cmdlet, string name)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretInfo", CommandTypes.All) == null) return true; // cannot tell: try the removal
            return Invoke(cmdlet, "Get-SecretInfo", ("Name", name), ("Vault", Vault)).Count > 0;
        }

        private static readonly Dictionary<string, string> CompanionKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["TokenId"] = "TOKEN_ID",
            ["ExpiresOn"] = "EXPIRES_AT",
            ["Scopes"] = "SCOPES",
            ["ClientId"] = "CLIENT_ID", // an Access service token's client id (the secret under NAME is its client secret)
        };

        /// <summary>The command through <see cref="CallerRunspaceCommand"/>: its diagnostics in our streams, nothing left in $Error; a failure becomes a DestinationException.</summary>
        private System.Collections.ObjectModel.Collection<PSObject> Invoke(CfSessionCmdlet cmdlet, string command, params (string Name, object Value)[] parameters)
        {
            try
            {
                return CallerRunspaceCommand.Invoke(cmdlet, command, parameters);
            }
            catch (RuntimeException ex)
            {
                throw new DestinationException($"{command} on vault '{Vault}' failed: {ex.Message}", ex);
            }
        }
    }
}
