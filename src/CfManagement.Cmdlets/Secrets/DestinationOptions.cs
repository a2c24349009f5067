using System.Collections.Generic;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Secrets
{
    /// <summary>
    /// The destination parameters shared by the commands that mint or roll values: validated up front (before
    /// any request), then turned into destinations. Delivery (with retries) is the issuance
    /// sequence's job (Issuance/CredentialIssuance).
    /// </summary>
    internal static class DestinationOptions
    {
        private static readonly Regex BindingName = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);

        public static List<ErrorRecord> Validate(PSCmdlet cmdlet, string? vault, string? secretName, string? workerScript, string? workerSecretName,
            string? secretsStore = null, string? secretsStoreSecretName = null)
        {
            var errors = new List<ErrorRecord>();
            if (vault != null)
            {
                if (string.IsNullOrWhiteSpace(vault))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, "Vault", vault, "-Vault must name a registered SecretManagement vault.", "Pass a vault name from Get-SecretVault."));
                else if (VaultDestination.CheckAvailable(cmdlet) is ErrorRecord missing) errors.Add(missing);
            }
            if (secretName != null && string.IsNullOrWhiteSpace(secretName))
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, "SecretName", secretName, "-SecretName must not be empty.", "Pass the vault secret name, or omit it to use the token name."));
            if (secretName != null && vault == null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "SecretName", secretName, "-SecretName names a vault secret, but no -Vault was given.", "Add -Vault <name>."));
            if (workerScript != null && WorkerInputValidator.CheckScriptName(workerScript, "WorkerScript") is ErrorRecord badScript)
                errors.Add(badScript);
            if (workerSecretName != null && !BindingName.IsMatch(workerSecretName))
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, "WorkerSecretName", workerSecretName,
                    $"-WorkerSecretName '{workerSecretName}' is not a binding name (a letter or '_', then letters, digits or '_').", "Use a name such as CF_API_TOKEN."));
            if (workerSecretName != null && workerScript == null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "WorkerSecretName", workerSecretName, "-WorkerSecretName needs -WorkerScript.", "Add -WorkerScript <script>."));
            if (secretsStore != null && Commands.SecretsStore.SecretsStoreInput.CheckStore(secretsStore, "SecretsStore") is ErrorRecord badStore)
                errors.Add(badStore);
            if (secretsStoreSecretName != null && Commands.SecretsStore.SecretsStoreInput.CheckSecretName(secretsStoreSecretName, "SecretsStoreSecretName") is ErrorRecord badStoreSecret)
                errors.Add(badStoreSecret);
            if (secretsStoreSecretName != null && secretsStore == null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "SecretsStoreSecretName", secretsStoreSecretName, "-SecretsStoreSecretName needs -SecretsStore.", "Add -SecretsStore <store name or id>."));
            return errors;
        }

        /// <summary>Checks what needs the session: Worker and Secrets Store secrets live in an account. Null when fine.</summary>
        public static ErrorRecord? CheckSession(Sessions.CfSession session, string? workerScript, string? secretsStore = null)
        {
            if (!string.IsNullOrEmpty(session.AccountId)) return null;
            if (workerScript != null) return InputValidator.AccountRequired("WorkerScript", workerScript, "-WorkerScript writes a Worker secret, which lives in an account");
            if (secretsStore != null) return InputValidator.AccountRequired("SecretsStore", secretsStore, "-SecretsStore writes a Secrets Store secret, which lives in an account");
            return null;
        }

        public static List<ISecretDestination> Create(string tokenName, string? vault, string? secretName, string? workerScript, string? workerSecretName,
            string? secretsStore = null, string? secretsStoreSecretName = null)
        {
            var destinations = new List<ISecretDestination>();
            if (vault != null) destinations.Add(new VaultDestination(vault, secretName ?? tokenName));
            if (workerScript != null) destinations.Add(new WorkerSecretDestination(workerScript, workerSecretName ?? WorkerSecretDestination.BindingNameFor(tokenName)));
            if (secretsStore != null) destinations.Add(new SecretsStoreDestination(secretsStore, secretsStoreSecretName ?? WorkerSecretDestination.BindingNameFor(tokenName)));
            return destinations;
        }
    }
}
