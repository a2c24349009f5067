using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace CfManagement.Secrets
{
    /// <summary>
    /// Reads what travels with a vault secret, both ways VaultDestination writes it: the secret's SecretManagement
    /// metadata (Get-SecretInfo .Metadata, key e.g. TokenId) first, else the runbook's companion secret (NAME__TOKEN_ID).
    /// Shared by the Access vault reader (ClientId) and Connect-CfAccount -Vault (TokenId, ExpiresOn); the commands run
    /// in the caller's runspace through <see cref="CallerRunspaceCommand"/>. Companions hold metadata, never a token value.
    /// </summary>
    internal static class VaultCompanionReader
    {
        /// <summary>The secret's metadata table (null when the vault keeps none or Get-SecretInfo is missing or fails).</summary>
        public static IDictionary? ReadMetadata(PSCmdlet cmdlet, string vault, string secretName)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretInfo", CommandTypes.All) == null) return null;
            try
            {
                var info = CallerRunspaceCommand.Invoke(cmdlet, "Get-SecretInfo", new (string, object)[] { ("Name", secretName), ("Vault", vault) })
                    .FirstOrDefault(o => string.Equals(o?.Properties["Name"]?.Value as string, secretName, StringComparison.OrdinalIgnoreCase));
                var metadata = info?.Properties["Metadata"]?.Value;
                return (metadata is PSObject wrapped ? wrapped.BaseObject : metadata) as IDictionary;
            }
            catch (RuntimeException)
            {
                return null; // metadata unreadable: the companion secrets may still say
            }
        }

        /// <summary>The value under <paramref name="metadataKey"/> in the metadata, else in the companion NAME + suffix; null when neither has one.</summary>
        public static string? Read(PSCmdlet cmdlet, string vault, string secretName, IDictionary? metadata, string metadataKey, string companionSuffix)
        {
            var fromMetadata = MetadataValue(metadata, metadataKey);
            if (!string.IsNullOrWhiteSpace(fromMetadata)) return fromMetadata!.Trim();
            try
            {
                var companion = CallerRunspaceCommand.Invoke(cmdlet, "Get-Secret",
                        new (string, object)[] { ("Name", secretName + companionSuffix), ("Vault", vault), ("AsPlainText", true) })
                    .Select(o => o?.BaseObject).FirstOrDefault();
                var text = companion as string ?? (companion is SecureString s ? Http.SecureStringReader.ToPlainText(s) : null);
                return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
            }
            catch (RuntimeException)
            {
                return null; // no companion either
            }
        }

        private static string? MetadataValue(IDictionary? metadata, string key)
        {
            if (metadata == null) return null;
            foreach (DictionaryEntry entry in metadata)
                if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return entry.Value?.ToString();
            return null;
        }
    }
}
