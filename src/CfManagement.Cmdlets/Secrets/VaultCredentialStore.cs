using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Secrets
{
    /// <summary>One entry of a Get-SecretInfo listing: its name and its metadata (null when the vault keeps none).</summary>
    internal sealed class VaultEntry
    {
        public VaultEntry(string name, IDictionary? metadata)
        {
            Name = name;
            Metadata = metadata;
        }

        public string Name { get; }
        public IDictionary? Metadata { get; }
    }

    /// <summary>
    /// The vault side of the runbook convention for the vault credential commands: ONE Get-SecretInfo listing of a vault
    /// (names and metadata, never values), credentials derived from it (companions are never credentials themselves;
    /// companions without a value still make a credential, HasValue false), and companion values read (Get-Secret
    /// -AsPlainText on the companion only: they hold metadata) only for credentials without metadata. Every command runs
    /// through <see cref="CallerRunspaceCommand"/> on the pipeline thread.
    /// </summary>
    internal static class VaultCredentialStore
    {
        /// <summary>
        /// Metadata keys that say which token a secret is: metadata with one of them is the source of the facts; without
        /// (none, or only Revoked / Purpose, as Set-CfVaultCredential -Revoked leaves on a companion-only credential)
        /// the companions are read and the metadata fills in what they do not hold.
        /// </summary>
        private static readonly string[] ConventionKeys =
        {
            VaultConvention.TokenIdKey, VaultConvention.ClientIdKey, VaultConvention.ExpiresOnKey, VaultConvention.ScopesKey,
            VaultConvention.TokenNameKey, VaultConvention.KindKey,
        };

        /// <summary>Null when Get-SecretInfo (and, for <paramref name="write"/>, Set-Secret and Remove-Secret) can be called here.</summary>
        public static ErrorRecord? CheckAvailable(PSCmdlet cmdlet, bool write)
        {
            var needed = write ? new[] { "Get-SecretInfo", "Get-Secret", "Set-Secret", "Remove-Secret" } : new[] { "Get-SecretInfo", "Get-Secret" };
            var missing = needed.FirstOrDefault(c => cmdlet.InvokeCommand.GetCommand(c, CommandTypes.All) == null);
            if (missing == null) return null;
            var message = $"The vault credential commands need Microsoft.PowerShell.SecretManagement ({missing}), which is not available in this session.";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.SecretManagementUnavailable, ErrorCategory.NotInstalled, missing)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Install-Module Microsoft.PowerShell.SecretManagement (and a vault such as Microsoft.PowerShell.SecretStore), register a vault with Register-SecretVault, then retry.",
                },
            };
        }

        /// <summary>Throws VaultNotFound unless Get-SecretVault knows <paramref name="vault"/> (skipped when Get-SecretVault is missing).</summary>
        public static void CheckVaultRegistered(PSCmdlet cmdlet, string vault)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-SecretVault", CommandTypes.All) == null) return; // cannot tell: the listing will say
            int found;
            try
            {
                found = CallerRunspaceCommand.Invoke(cmdlet, "Get-SecretVault", new (string, object)[] { ("Name", vault) })
                    .Count(o => string.Equals(o?.Properties["Name"]?.Value as string, vault, StringComparison.OrdinalIgnoreCase));
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

        /// <summary>
        /// One Get-SecretInfo call: every entry of <paramref name="vault"/> whose name matches <paramref name="filter"/> (a
        /// SecretManagement wildcard), by name (case-insensitive). Throws VaultReadFailed when the vault cannot be listed.
        /// </summary>
        public static Dictionary<string, VaultEntry> List(PSCmdlet cmdlet, string vault, string filter = "*")
        {
            System.Collections.ObjectModel.Collection<PSObject> infos;
            try
            {
                infos = CallerRunspaceCommand.Invoke(cmdlet, "Get-SecretInfo", new (string, object)[] { ("Name", filter), ("Vault", vault) });
            }
            catch (RuntimeException ex)
            {
                var message = $"Vault '{vault}' could not be listed (Get-SecretInfo failed: {ex.Message}).";
                throw new CfRecordException(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.VaultReadFailed, ErrorCategory.ReadError, vault)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Check that the vault is reachable and unlocked (Test-SecretVault -Name {vault}; Unlock-SecretStore for a SecretStore vault), then retry." },
                });
            }
            var entries = new Dictionary<string, VaultEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var info in infos)
            {
                if (!(info?.Properties["Name"]?.Value is string name) || name.Length == 0) continue;
                var metadata = info.Properties["Metadata"]?.Value;
                entries[name] = new VaultEntry(name, (metadata is PSObject wrapped ? wrapped.BaseObject : metadata) as IDictionary);
            }
            return entries;
        }

        /// <summary>The credential names in a listing: every entry that is not a companion, plus NAME for companions whose value is gone.</summary>
        public static IEnumerable<string> CredentialNames(Dictionary<string, VaultEntry> listing)
        {
            var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in listing.Keys)
            {
                VaultConvention.IsCompanion(name, out var baseName, out _);
                names.Add(baseName);
            }
            return names;
        }

        /// <summary>True when the listing holds NAME or any companion of it.</summary>
        public static bool Exists(Dictionary<string, VaultEntry> listing, string name) =>
            listing.ContainsKey(name) || VaultConvention.CompanionNames(name).Any(listing.ContainsKey);

        /// <summary>True when the metadata holds at least one key of the convention (an empty or foreign table does not count).</summary>
        public static bool HasConventionMetadata(IDictionary? metadata) =>
            metadata != null && ConventionKeys.Any(k => !string.IsNullOrWhiteSpace(MetadataText(metadata, k)));

        /// <summary>
        /// Whether describing <paramref name="name"/> needs companion values read (no convention metadata, companions
        /// present; or a __REVOKED_AT companion beside metadata without Revoked).
        /// </summary>
        public static bool NeedsCompanionReads(Dictionary<string, VaultEntry> listing, string name)
        {
            listing.TryGetValue(name, out var entry);
            var companions = VaultConvention.Companions.Where(c => listing.ContainsKey(VaultConvention.CompanionName(name, c.Suffix))).ToList();
            if (companions.Count == 0) return false;
            if (!HasConventionMetadata(entry?.Metadata)) return companions.Any(c => c.Key != VaultConvention.RevokedKey) || string.IsNullOrWhiteSpace(MetadataText(entry?.Metadata, VaultConvention.RevokedKey));
            return companions.Any(c => c.Key == VaultConvention.RevokedKey) && string.IsNullOrWhiteSpace(MetadataText(entry!.Metadata, VaultConvention.RevokedKey));
        }

        /// <summary>
        /// The credential <paramref name="name"/> as the listing describes it, reading companion values only when
        /// <see cref="NeedsCompanionReads"/>. Never reads the value under NAME.
        /// </summary>
        public static CfVaultCredential Describe(PSCmdlet cmdlet, string vault, Dictionary<string, VaultEntry> listing, string name)
        {
            listing.TryGetValue(name, out var entry);
            var metadata = entry?.Metadata;
            var present = VaultConvention.Companions
                .Where(c => listing.ContainsKey(VaultConvention.CompanionName(name, c.Suffix)))
                .ToDictionary(c => c.Key, c => c.Suffix, StringComparer.OrdinalIgnoreCase);
            var facts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (metadata != null)
                foreach (DictionaryEntry pair in metadata)
                {
                    var key = pair.Key?.ToString();
                    var text = Text(pair.Value);
                    if (key != null && !string.IsNullOrWhiteSpace(text)) facts[key] = text!.Trim();
                }
            string source;
            if (HasConventionMetadata(metadata))
            {
                source = CfVaultCredential.FromMetadata;
                // A companion-only tool may have marked it revoked beside our metadata.
                if (!facts.ContainsKey(VaultConvention.RevokedKey) && present.TryGetValue(VaultConvention.RevokedKey, out var revokedSuffix))
                    AddCompanion(cmdlet, vault, name, VaultConvention.RevokedKey, revokedSuffix, facts);
            }
            else if (present.Count > 0)
            {
                source = CfVaultCredential.FromCompanions;
                foreach (var pair in present)
                    if (!(pair.Key == VaultConvention.RevokedKey && facts.ContainsKey(VaultConvention.RevokedKey)))
                        AddCompanion(cmdlet, vault, name, pair.Key, pair.Value, facts);
            }
            else
            {
                source = CfVaultCredential.FromNothing;
            }

            var tokenId = Guarded(cmdlet, vault, name, facts, VaultConvention.TokenIdKey);
            var clientId = Guarded(cmdlet, vault, name, facts, VaultConvention.ClientIdKey);
            var kind = clientId != null || string.Equals(Guarded(cmdlet, vault, name, facts, VaultConvention.KindKey), CfVaultCredential.AccessServiceTokenKind, StringComparison.OrdinalIgnoreCase)
                ? CfVaultCredential.AccessServiceTokenKind
                : tokenId != null ? CfVaultCredential.ApiTokenKind : CfVaultCredential.UnknownKind;
            var revokedText = Guarded(cmdlet, vault, name, facts, VaultConvention.RevokedKey);
            var revoked = revokedText != null || present.ContainsKey(VaultConvention.RevokedKey);
            return new CfVaultCredential(
                name, vault, kind, tokenId, clientId,
                Guarded(cmdlet, vault, name, facts, VaultConvention.TokenNameKey),
                Guarded(cmdlet, vault, name, facts, VaultConvention.ScopesKey),
                Date(cmdlet, vault, name, VaultConvention.ExpiresOnKey, Guarded(cmdlet, vault, name, facts, VaultConvention.ExpiresOnKey)),
                Date(cmdlet, vault, name, VaultConvention.IssuedOnKey, Guarded(cmdlet, vault, name, facts, VaultConvention.IssuedOnKey)),
                Guarded(cmdlet, vault, name, facts, VaultConvention.PurposeKey),
                source,
                hasValue: entry != null,
                isRevoked: revoked,
                revokedOn: Date(cmdlet, vault, name, VaultConvention.RevokedKey, revokedText),
                revokedReason: Guarded(cmdlet, vault, name, facts, VaultConvention.RevokedReasonKey));
        }

        /// <summary>Reads one companion's value (metadata, never a credential) into <paramref name="facts"/>; a failed read is left out.</summary>
        private static void AddCompanion(PSCmdlet cmdlet, string vault, string name, string key, string suffix, Dictionary<string, string> facts)
        {
            var companion = VaultConvention.CompanionName(name, suffix);
            try
            {
                var value = CallerRunspaceCommand.Invoke(cmdlet, "Get-Secret", new (string, object)[] { ("Name", companion), ("Vault", vault), ("AsPlainText", true) })
                    .Select(o => o?.BaseObject).FirstOrDefault();
                var text = value is SecureString secure ? Http.SecureStringReader.ToPlainText(secure) : value as string;
                if (!string.IsNullOrWhiteSpace(text)) facts[key] = text!.Trim();
            }
            catch (RuntimeException)
            {
                cmdlet.WriteVerbose($"Vault '{vault}': the companion '{companion}' could not be read; left out.");
            }
        }

        /// <summary>The fact under <paramref name="key"/>, unless it looks like a credential (then it is withheld with a warning).</summary>
        private static string? Guarded(PSCmdlet cmdlet, string vault, string name, Dictionary<string, string> facts, string key)
        {
            if (!facts.TryGetValue(key, out var text)) return null;
            if (!SecretGuard.LooksLikeSecret(text)) return text;
            cmdlet.WriteWarning($"Vault '{vault}': the {key} recorded for '{name}' looks like a credential, not metadata; it is not shown. Check what was stored there.");
            return null;
        }

        private static DateTimeOffset? Date(PSCmdlet cmdlet, string vault, string name, string key, string? text)
        {
            if (text == null || string.Equals(text, "never", StringComparison.OrdinalIgnoreCase)) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
                return when;
            cmdlet.WriteWarning($"Vault '{vault}': the {key} recorded for '{name}' ('{text}') is not a date; ignored.");
            return null;
        }

        /// <summary>
        /// The listing for one credential: NAME and its companions only (Get-SecretInfo -Name 'NAME*', the name's own
        /// wildcard characters escaped), then narrowed to exactly those.
        /// </summary>
        public static Dictionary<string, VaultEntry> ListOne(PSCmdlet cmdlet, string vault, string name)
        {
            var wanted = new HashSet<string>(new[] { name }.Concat(VaultConvention.CompanionNames(name)), StringComparer.OrdinalIgnoreCase);
            var listing = List(cmdlet, vault, WildcardPattern.Escape(name) + "*");
            foreach (var other in listing.Keys.Where(k => !wanted.Contains(k)).ToList()) listing.Remove(other);
            return listing;
        }

        /// <summary>Set-Secret through <see cref="CallerRunspaceCommand"/>; throws RuntimeException when it fails.</summary>
        public static void SetSecret(PSCmdlet cmdlet, string vault, string name, object secret, IDictionary? metadata)
        {
            var parameters = new List<(string, object)> { ("Name", name), ("Secret", secret), ("Vault", vault) };
            if (metadata != null) parameters.Add(("Metadata", metadata));
            CallerRunspaceCommand.Invoke(cmdlet, "Set-Secret", parameters);
        }

        /// <summary>Remove-Secret through <see cref="CallerRunspaceCommand"/>; throws RuntimeException when it fails.</summary>
        public static void RemoveSecret(PSCmdlet cmdlet, string vault, string name) =>
            CallerRunspaceCommand.Invoke(cmdlet, "Remove-Secret", new (string, object)[] { ("Name", name), ("Vault", vault) });

        /// <summary>True when a Set-Secret failure says the vault does not take metadata (the caller then writes without it).</summary>
        public static bool RejectsMetadata(Exception ex) => ex.Message.IndexOf("metadata", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The VaultWriteFailed error: what could not be written or removed, and what is left.</summary>
        public static ErrorRecord WriteFailed(string vault, string name, string what, Exception ex)
        {
            var message = $"Vault '{vault}': {what} failed for '{name}': {ex.Message}";
            return new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.VaultWriteFailed, ErrorCategory.WriteError, name)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Check the vault (Test-SecretVault -Name {vault}), then rerun the command: it is safe to repeat. Get-CfVaultCredential -Vault {vault} -Name {name} shows what is there now." },
            };
        }

        private static string? MetadataText(IDictionary? metadata, string key)
        {
            if (metadata == null) return null;
            foreach (DictionaryEntry entry in metadata)
                if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return Text(entry.Value);
            return null;
        }

        /// <summary>A metadata value as text: dates round-trip ("o", UTC), everything else invariant.</summary>
        private static string? Text(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case null: return null;
                case DateTime date: return (date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime()).ToString("o", CultureInfo.InvariantCulture);
                case DateTimeOffset offset: return offset.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }
    }
}
