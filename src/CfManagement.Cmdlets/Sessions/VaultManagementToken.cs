using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Access;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Secrets;

namespace CfManagement.Sessions
{
    /// <summary>
    /// The management token Connect-CfAccount -Vault reads: the value under NAME (Get-Secret, as a SecureString, never
    /// -AsPlainText), and what the vault says about it (metadata TokenId / ExpiresOn as VaultDestination writes them, else
    /// the companions NAME__TOKEN_ID / NAME__EXPIRES_AT). Every refusal here comes before any Cloudflare request.
    /// </summary>
    internal sealed class VaultManagementToken : IDisposable
    {
        public const string TokenIdKey = "TokenId";
        public const string ExpiresOnKey = "ExpiresOn";
        public const string TokenIdSuffix = "__TOKEN_ID";
        public const string ExpiresAtSuffix = "__EXPIRES_AT";

        private readonly SecureString? _owned;

        private VaultManagementToken(SecureString token, SecureString? owned, string? tokenId, DateTimeOffset? expiresOn)
        {
            Token = token;
            _owned = owned;
            TokenId = tokenId;
            ExpiresOn = expiresOn;
        }

        public SecureString Token { get; }
        public string? TokenId { get; }
        /// <summary>Null when the vault says nothing, or "never".</summary>
        public DateTimeOffset? ExpiresOn { get; }

        public static VaultManagementToken Read(PSCmdlet cmdlet, string vault, string secretName)
        {
            if (VaultServiceTokenReader.CheckAvailable(cmdlet) is ErrorRecord unavailable) throw new CfRecordException(unavailable);
            CheckVaultRegistered(cmdlet, vault);
            object? value;
            try
            {
                value = CallerRunspaceCommand.Invoke(cmdlet, "Get-Secret", new (string, object)[] { ("Name", secretName), ("Vault", vault) })
                    .Select(o => o?.BaseObject).FirstOrDefault();
            }
            catch (RuntimeException ex)
            {
                throw NotFound(vault, secretName, $"Get-Secret could not read it: {ex.Message}");
            }
            SecureString token;
            SecureString? owned = null;
            switch (value)
            {
                case null:
                    throw NotFound(vault, secretName, "Get-Secret returned nothing");
                case SecureString secure when secure.Length > 0:
                    token = secure;
                    break;
                case string plain when plain.Length > 0:
                    token = owned = SecureStringReader.FromPlainText(plain);
                    break;
                default:
                    throw NotAToken(vault, secretName, value is SecureString || value is string ? "an empty value" : "a " + value.GetType().Name);
            }
            try
            {
                if (Validation.TokenValueValidator.Check(token, "SecretName", out var usable, out var copied) is ErrorRecord)
                    throw NotAToken(vault, secretName, "blank, or has white space or a control character inside");
                if (copied)
                {
                    owned?.Dispose();
                    token = owned = usable!;
                }
                var metadata = VaultCompanionReader.ReadMetadata(cmdlet, vault, secretName);
                var tokenId = VaultCompanionReader.Read(cmdlet, vault, secretName, metadata, TokenIdKey, TokenIdSuffix);
                var expires = VaultCompanionReader.Read(cmdlet, vault, secretName, metadata, ExpiresOnKey, ExpiresAtSuffix);
                return new VaultManagementToken(token, owned, tokenId, ParseExpiry(cmdlet, vault, secretName, expires));
            }
            catch
            {
                owned?.Dispose();
                throw;
            }
        }

        private static DateTimeOffset? ParseExpiry(PSCmdlet cmdlet, string vault, string secretName, string? text)
        {
            if (text == null || string.Equals(text, "never", StringComparison.OrdinalIgnoreCase)) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
                return when;
            cmdlet.WriteWarning($"Vault '{vault}': the expiry recorded for '{secretName}' ('{text}') is not a date; ignored.");
            return null;
        }

        private static void CheckVaultRegistered(PSCmdlet cmdlet, string vault)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretVault", CommandTypes.All) == null) return; // cannot tell: Get-Secret will say
            int found;
            try
            {
                found = CallerRunspaceCommand.Invoke(cmdlet, "Get-SecretVault", new (string, object)[] { ("Name", vault) }).Count(o => o != null);
            }
            catch (RuntimeException)
            {
                found = 0;
            }
            if (found > 0) return;
            var message = $"-Vault '{vault}' is not a registered SecretManagement vault.";
            throw new CfRecordException(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.VaultNotFound, ErrorCategory.ObjectNotFound, vault)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Get-SecretVault lists the registered vaults; register one with Register-SecretVault." },
            });
        }

        private static CfRecordException NotFound(string vault, string secretName, string why)
        {
            var message = $"The management token secret '{secretName}' was not found in vault '{vault}' ({why}).";
            return new CfRecordException(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.VaultTokenNotFound, ErrorCategory.ObjectNotFound, secretName)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Check the name with Get-SecretInfo -Vault {vault}, or pass the token with -ApiToken." },
            });
        }

        private static CfRecordException NotAToken(string vault, string secretName, string what)
        {
            var message = $"The secret '{secretName}' in vault '{vault}' is {what}, not an API token string; its value is not shown.";
            return new CfRecordException(new ErrorRecord(new InvalidOperationException(message), ErrorIds.InvalidVaultToken, ErrorCategory.InvalidData, secretName)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Store the token as a String or SecureString secret: Set-Secret -Name {secretName} -Vault {vault} -Secret (Read-Host -AsSecureString)." },
            });
        }

        public void Dispose() => _owned?.Dispose();
    }
}
