using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Secrets;

namespace CfManagement.Commands.Vault
{
    /// <summary>
    /// <para type="synopsis">Removes a credential from a SecretManagement vault: its value and every companion secret (NAME__TOKEN_ID, __CLIENT_ID, __EXPIRES_AT, __SCOPES, __REVOKED_AT).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfVaultCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveCfVaultCredentialCommand : VaultCredentialCmdlet
    {
        /// <summary>The credential's vault secret name (not a companion's).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.VaultSecretNameCompleter))]
        public string? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var ok = true;
            if (CheckVaultParameter() is ErrorRecord badVault) { WriteError(badVault); ok = false; }
            if (CheckCredentialName(Name, nameof(Name)) is ErrorRecord badName) { WriteError(badName); ok = false; }
            if (!ok) return;
            EnsureVault(write: true);

            var vault = VaultName;
            var name = Name!.Trim();
            var listing = VaultCredentialStore.ListOne(this, vault, name);
            if (!VaultCredentialStore.Exists(listing, name)) { WriteError(NotFound(name)); return; }
            // The names exactly as the vault spells them, the value first.
            var present = new[] { name }.Concat(VaultConvention.CompanionNames(name))
                .Select(n => listing.TryGetValue(n, out var entry) ? entry.Name : null)
                .Where(n => n != null).Select(n => n!).ToList();
            var what = present.Count == 1 ? "Remove the value" : $"Remove {string.Join(", ", present)}";
            if (!ShouldProcess($"vault:{vault}/{name}", what)) return;

            var failed = new List<string>();
            foreach (var secret in present)
            {
                try
                {
                    VaultCredentialStore.RemoveSecret(this, vault, secret);
                }
                catch (RuntimeException ex)
                {
                    failed.Add(secret);
                    WriteError(VaultCredentialStore.WriteFailed(vault, secret, "Remove-Secret", ex));
                    // The value stays: keep its companions too, so the credential is still described (rerun to finish).
                    if (ReferenceEquals(secret, present[0])) return;
                }
            }
            if (failed.Count == 0) WriteVerbose($"Vault '{vault}': removed {string.Join(", ", present)}.");
        }
    }
}
