using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Vault
{
    /// <summary>
    /// <para type="synopsis">Marks a vault credential revoked: overwrites its value with the marker text REVOKED, keeps its metadata and adds Revoked and RevokedReason, and writes the NAME__REVOKED_AT companion.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfVaultCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfVaultCredential))]
    public sealed class SetCfVaultCredentialCommand : VaultCredentialCmdlet
    {
        private const int MaxReasonLength = 500;

        /// <summary>The credential's vault secret name (not a companion's).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.VaultSecretNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Overwrite the value with the REVOKED marker and record the revocation.</summary>
        [Parameter(Mandatory = true)]
        public SwitchParameter Revoked { get; set; }

        /// <summary>Why (recorded as RevokedReason; must not contain a credential).</summary>
        [Parameter]
        public string? Reason { get; set; }

        protected override void ProcessCfRecord()
        {
            var ok = true;
            if (CheckVaultParameter() is ErrorRecord badVault) { WriteError(badVault); ok = false; }
            if (CheckCredentialName(Name, nameof(Name)) is ErrorRecord badName) { WriteError(badName); ok = false; }
            if (!Revoked.IsPresent)
            {
                WriteError(InputValidator.Invalid(ErrorIds.VaultChangeRequired, nameof(Revoked), Revoked.IsPresent,
                    "-Revoked:$false asks for no change: Set-CfVaultCredential only marks a credential revoked.",
                    "Pass -Revoked to mark it revoked; to put a new value in the vault, roll it (Invoke-CfTokenRoll -Vault) or use Set-Secret."));
                ok = false;
            }
            if (Reason != null && CheckReason(Reason) is ErrorRecord badReason) { WriteError(badReason); ok = false; }
            if (!ok) return;
            EnsureVault(write: true);

            var vault = VaultName;
            var name = Name!.Trim();
            var listing = VaultCredentialStore.ListOne(this, vault, name);
            if (!VaultCredentialStore.Exists(listing, name)) { WriteError(NotFound(name)); return; }
            if (!ShouldProcess($"vault:{vault}/{name}", "Mark revoked (overwrite the value with the REVOKED marker, record Revoked and RevokedReason)")) return;

            var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
            var metadata = new Hashtable(StringComparer.OrdinalIgnoreCase);
            if (listing.TryGetValue(name, out var entry) && entry.Metadata != null)
                foreach (DictionaryEntry pair in entry.Metadata)
                    if (pair.Key != null) metadata[pair.Key.ToString()!] = pair.Value is PSObject wrapped ? wrapped.BaseObject : pair.Value;
            metadata[VaultConvention.RevokedKey] = now;
            if (!string.IsNullOrWhiteSpace(Reason)) metadata[VaultConvention.RevokedReasonKey] = Reason!.Trim();
            else metadata.Remove(VaultConvention.RevokedReasonKey);

            try
            {
                try
                {
                    VaultCredentialStore.SetSecret(this, vault, name, VaultConvention.RevokedMarker, metadata);
                }
                catch (RuntimeException ex) when (VaultCredentialStore.RejectsMetadata(ex))
                {
                    WriteVerbose($"Vault '{vault}' does not take metadata; the revocation is recorded in the companion {VaultConvention.CompanionName(name, "REVOKED_AT")} only (no RevokedReason).");
                    VaultCredentialStore.SetSecret(this, vault, name, VaultConvention.RevokedMarker, null);
                }
            }
            catch (RuntimeException ex)
            {
                WriteError(VaultCredentialStore.WriteFailed(vault, name, "writing the REVOKED marker", ex));
                return;
            }
            var companion = VaultConvention.CompanionName(name, VaultConvention.SuffixFor(VaultConvention.RevokedKey)!);
            try
            {
                VaultCredentialStore.SetSecret(this, vault, companion, now, null);
            }
            catch (RuntimeException ex)
            {
                WriteError(VaultCredentialStore.WriteFailed(vault, companion, "writing the revocation companion (the value already holds the REVOKED marker)", ex));
                return;
            }
            WriteObject(VaultCredentialStore.Describe(this, vault, VaultCredentialStore.ListOne(this, vault, name), name));
        }

        private static ErrorRecord? CheckReason(string reason)
        {
            string? problem = null;
            if (string.IsNullOrWhiteSpace(reason)) problem = "must not be empty or white space";
            else if (reason.Length > MaxReasonLength) problem = $"is {reason.Length} characters long; at most {MaxReasonLength} are kept";
            else if (SecretGuard.LooksLikeSecret(reason)) problem = "looks like it contains a credential, and it would be stored as metadata in clear";
            else foreach (var c in reason) if (char.IsControl(c)) { problem = "contains a control character (a line break or tab)"; break; }
            if (problem == null) return null;
            // The value is not echoed back: it may be the credential that was pasted by mistake.
            return InputValidator.Invalid(ErrorIds.InvalidRevokedReason, nameof(Reason), null, $"-Reason {problem}.",
                "Pass a short, one-line reason such as 'exposed in a build log', or omit -Reason.");
        }
    }
}
