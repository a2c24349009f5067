using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Vault
{
    /// <summary>
    /// The base of the vault credential commands: -Vault (a registered SecretManagement vault), the checks every one
    /// of them makes before touching the vault, in this order: input, SecretManagement present, vault registered.
    /// </summary>
    public abstract class VaultCredentialCmdlet : CfCmdlet
    {
        private readonly HashSet<string> _checkedVaults = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The SecretManagement vault (Get-SecretVault lists them).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("VaultName")]
        [ArgumentCompleter(typeof(Completion.VaultNameCompleter))]
        public string? Vault { get; set; }

        protected string VaultName => Vault!.Trim();

        /// <summary>Null when -Vault is usable, else the error to report.</summary>
        protected ErrorRecord? CheckVaultParameter()
        {
            if (string.IsNullOrWhiteSpace(Vault))
                return InputValidator.Invalid(ErrorIds.InvalidName, nameof(Vault), Vault, "-Vault must name a registered SecretManagement vault.",
                    "Pass -Vault <name> (Get-SecretVault lists them).");
            return null;
        }

        /// <summary>Null when <paramref name="name"/> is a credential name (not blank, not a companion), else the error.</summary>
        protected ErrorRecord? CheckCredentialName(string? name, string parameterName)
        {
            if (string.IsNullOrWhiteSpace(name))
                return InputValidator.Invalid(ErrorIds.InvalidName, parameterName, name, $"-{parameterName} must not be empty or white space.",
                    $"Pass the credential's vault secret name (Get-CfVaultCredential -Vault {Vault} lists them).");
            if (VaultConvention.IsCompanion(name!.Trim(), out var baseName, out var suffix))
                return InputValidator.Invalid(ErrorIds.VaultCompanionName, parameterName, name,
                    $"-{parameterName} '{name}' is the {suffix} companion of the credential '{baseName}', not a credential: companions travel with their credential.",
                    $"Pass the credential's name: -{parameterName} '{baseName}' (its companions are handled with it).");
            return null;
        }

        /// <summary>SecretManagement present and the vault registered (once per vault per command); throws CfRecordException otherwise.</summary>
        protected void EnsureVault(bool write)
        {
            if (VaultCredentialStore.CheckAvailable(this, write) is ErrorRecord unavailable) throw new CfRecordException(unavailable);
            if (_checkedVaults.Contains(VaultName)) return;
            VaultCredentialStore.CheckVaultRegistered(this, VaultName);
            _checkedVaults.Add(VaultName);
        }

        /// <summary>The VaultCredentialNotFound error (ObjectNotFound): neither a value nor a companion under <paramref name="name"/>.</summary>
        protected ErrorRecord NotFound(string name)
        {
            var message = $"Vault '{VaultName}' holds no credential '{name}' (neither a value nor a companion such as '{name}__TOKEN_ID').";
            return new ErrorRecord(new ItemNotFoundException(message), ErrorIds.VaultCredentialNotFound, ErrorCategory.ObjectNotFound, name)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Get-CfVaultCredential -Vault {VaultName} lists the credentials in the vault." },
            };
        }
    }
}
