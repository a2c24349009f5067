using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Errors;
using CfManagement.Secrets;

namespace CfManagement.Access
{
    /// <summary>
    /// Reads a service token back from a SecretManagement vault, as the Access token commands store it: the client
    /// secret under NAME, the client id in its metadata (ClientId), or, for vaults without metadata, in the companion
    /// secret NAME__CLIENT_ID. Runs Get-Secret / Get-SecretInfo in the caller's runspace (their diagnostics in our
    /// streams, nothing left in $Error); never asks for the secret as plain text.
    /// </summary>
    internal static class VaultServiceTokenReader
    {
        public const string ClientIdMetadataKey = "ClientId";
        public const string ClientIdCompanionSuffix = "__CLIENT_ID";

        /// <summary>Null when Get-Secret can be called in this runspace; otherwise the error to stop with.</summary>
        public static ErrorRecord? CheckAvailable(PSCmdlet cmdlet)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.All) != null) return null;
            var message = "-Vault needs Microsoft.PowerShell.SecretManagement (Get-Secret), which is not available in this session.";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.SecretManagementUnavailable, ErrorCategory.NotInstalled, "Get-Secret")
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Install-Module Microsoft.PowerShell.SecretManagement (and a vault such as SecretStore), or pass the token with -ClientId and -ClientSecret.",
                },
            };
        }

        /// <summary>
        /// The client id and secret stored under <paramref name="secretName"/>; throws CfRecordException when either is
        /// missing. Owned is the secret when this reader made it (from a plain string) and the caller must dispose it; a
        /// SecureString Get-Secret returned is the vault's object (some extensions hand out the same one every time).
        /// </summary>
        public static (string ClientId, SecureString Secret, SecureString? Owned) Read(PSCmdlet cmdlet, string vault, string secretName)
        {
            var (secret, owned) = ReadSecret(cmdlet, vault, secretName);
            try
            {
                return (ReadClientId(cmdlet, vault, secretName), secret, owned);
            }
            catch
            {
                owned?.Dispose();
                throw;
            }
        }

        private static (SecureString Secret, SecureString? Owned) ReadSecret(PSCmdlet cmdlet, string vault, string secretName)
        {
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
            switch (value)
            {
                case SecureString secure when secure.Length > 0:
                    return (secure, null);
                case string plain when plain.Length > 0:
                    var made = Http.SecureStringReader.FromPlainText(plain);
                    return (made, made);
                case null:
                    throw NotFound(vault, secretName, "Get-Secret returned nothing");
                default:
                    var message = $"The secret '{secretName}' in vault '{vault}' is a {(value is SecureString || value is string ? "empty value" : value.GetType().Name)}, not a service token's client secret.";
                    throw new CfRecordException(new ErrorRecord(new InvalidOperationException(message), ErrorIds.InvalidClientSecret, ErrorCategory.InvalidData, secretName)
                    {
                        ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Store the client secret as a String or SecureString secret (New-CfAccessServiceToken -Vault does), or pass -ClientId and -ClientSecret." },
                    });
            }
        }

        private static string ReadClientId(PSCmdlet cmdlet, string vault, string secretName)
        {
            var metadata = VaultCompanionReader.ReadMetadata(cmdlet, vault, secretName);
            var clientId = VaultCompanionReader.Read(cmdlet, vault, secretName, metadata, ClientIdMetadataKey, ClientIdCompanionSuffix);
            if (clientId != null) return clientId;
            var message = $"Vault '{vault}' holds the secret '{secretName}' but not its client id: neither its metadata ({ClientIdMetadataKey}) nor a companion secret '{secretName}{ClientIdCompanionSuffix}' has one.";
            throw new CfRecordException(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.MissingClientId, ErrorCategory.ObjectNotFound, secretName)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Pass -ClientId with the token's client id (Get-CfAccessServiceToken shows it), or store it: Set-SecretInfo -Name {secretName} -Vault {vault} -Metadata @{{ {ClientIdMetadataKey} = '<client id>' }}." },
            });
        }

        private static CfRecordException NotFound(string vault, string secretName, string why)
        {
            var message = $"The service token secret '{secretName}' was not found in vault '{vault}' ({why}).";
            return new CfRecordException(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.AccessSecretNotFound, ErrorCategory.ObjectNotFound, secretName)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Check the name with Get-SecretInfo -Vault {vault}, or pass the token with -ClientId and -ClientSecret." },
            });
        }
    }
}
