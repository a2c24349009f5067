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
    /// extension the admin registered is used). Written both ways, so a tool that knows only one of them reads it back:
    /// metadata (token id, expiry, scopes, purpose) with the value, and always the runbook's companion secrets too:
    /// NAME__TOKEN_ID, NAME__EXPIRES_AT and NAME__SCOPES (an Access service token: the client secret under NAME,
    /// NAME__CLIENT_ID, NAME__TOKEN_ID and NAME__EXPIRES_AT). A vault that rejects metadata gets the companions only.
    /// A NAME__REVOKED_AT companion left by Set-CfVaultCredential -Revoked described the old value and is removed.
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
                cmdlet.WriteVerbose($"Vault '{Vault}' does not take metadata; the companion secrets carry it.");
                Invoke(cmdlet, "Set-Secret", ("Name", SecretName), ("Secret", value), ("Vault", Vault));
            }
            // The companions, always: what a companion-only tool (the runbook's scripts) reads. Metadata, never a value.
            try
            {
                foreach (var (key, suffix) in VaultConvention.Companions)
                {
                    var companion = VaultConvention.CompanionName(SecretName, suffix);
                    if (metadata.TryGetValue(key, out var text) && !string.IsNullOrEmpty(text))
                        Invoke(cmdlet, "Set-Secret", ("Name", companion), ("Secret", text), ("Vault", Vault));
                    else if (key == VaultConvention.RevokedKey)
                        ForgetRevocation(cmdlet, companion);
                }
            }
            catch (DestinationException)
            {
                // Half a write is not stored: the caller treats this destination as not written, so take back what was.
                try
                {
                    Remove(cmdlet);
                }
                catch (DestinationException ex)
                {
                    if (!cmdlet.Stopping) cmdlet.WriteWarning($"{Description}: after a failed companion write, {ex.Message}");
                }
                throw;
            }
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            var failures = new List<string>();
            foreach (var name in new[] { SecretName }.Concat(VaultConvention.CompanionNames(SecretName)))
            {
                try
                {
                    // Already gone is done (cleanup must be idempotent); Get-SecretInfo tells without guessing at error texts.
                    if (!Exists(cmdlet, name)) continue;
                    Invoke(cmdlet, "Remove-Secret", ("Name", name), ("Vault", Vault));
                }
                catch (DestinationException ex) when (name != SecretName)
                {
                    failures.Add(ex.Message); // the others are still removed; then the caller hears what is left
                }
            }
            if (failures.Count > 0)
                throw new DestinationException($"vault '{Vault}' kept companion secrets of '{SecretName}': {string.Join("; ", failures)}", null);
        }

        /// <summary>
        /// A NAME__REVOKED_AT left by Set-CfVaultCredential -Revoked described the value just replaced: it goes. Only when
        /// Get-SecretInfo says it is there; failing to remove it is a warning (the new value is stored and in use).
        /// </summary>
        private void ForgetRevocation(CfSessionCmdlet cmdlet, string companion)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretInfo", CommandTypes.All) == null) return;
            try
            {
                if (Exists(cmdlet, companion)) Invoke(cmdlet, "Remove-Secret", ("Name", companion), ("Vault", Vault));
            }
            catch (DestinationException ex)
            {
                if (!cmdlet.Stopping)
                    cmdlet.WriteWarning($"{Description}: the new value is stored, but the old revocation mark '{companion}' could not be removed ({ex.Message}); remove it with Remove-Secret, or tools will think the credential is revoked.");
            }
        }

        private bool Exists(CfSessionCmdlet cmdlet, string name)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretInfo", CommandTypes.All) == null) return true; // cannot tell: try the removal
            return Invoke(cmdlet, "Get-SecretInfo", ("Name", name), ("Vault", Vault))
                .Any(o => string.Equals(o?.Properties["Name"]?.Value as string, name, StringComparison.OrdinalIgnoreCase));
        }

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
