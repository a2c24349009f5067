using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Secrets
{
    /// <summary>
    /// The runbook's companion convention, in one place: which metadata key travels in which companion secret
    /// (NAME + "__" + suffix). Companions hold metadata (a token id, a client id, an expiry, a scope string, a revocation
    /// time), never a value. VaultDestination writes them, the vault credential commands read and remove them.
    /// </summary>
    internal static class VaultConvention
    {
        public const string Separator = "__";
        public const string TokenIdKey = "TokenId";
        public const string ExpiresOnKey = "ExpiresOn";
        public const string ScopesKey = "Scopes";
        public const string ClientIdKey = "ClientId";
        public const string RevokedKey = "Revoked";
        public const string RevokedReasonKey = "RevokedReason";
        public const string TokenNameKey = "TokenName";
        public const string IssuedOnKey = "IssuedOn";
        public const string PurposeKey = "Purpose";
        public const string KindKey = "Kind";

        /// <summary>The text Set-CfVaultCredential -Revoked (and Revoke-CfToken) leaves as the value: a marker, not a secret.</summary>
        public const string RevokedMarker = "REVOKED";

        /// <summary>Metadata key → companion suffix (without the separator).</summary>
        public static readonly IReadOnlyList<(string Key, string Suffix)> Companions = new[]
        {
            (TokenIdKey, "TOKEN_ID"),
            (ExpiresOnKey, "EXPIRES_AT"),
            (ScopesKey, "SCOPES"),
            (ClientIdKey, "CLIENT_ID"), // an Access service token's client id (the secret under NAME is its client secret)
            (RevokedKey, "REVOKED_AT"), // Set-CfVaultCredential -Revoked
        };

        public static string? SuffixFor(string metadataKey) =>
            Companions.Where(c => string.Equals(c.Key, metadataKey, StringComparison.OrdinalIgnoreCase)).Select(c => c.Suffix).FirstOrDefault();

        public static string CompanionName(string secretName, string suffix) => secretName + Separator + suffix;

        /// <summary>Every companion name of <paramref name="secretName"/>.</summary>
        public static IEnumerable<string> CompanionNames(string secretName) => Companions.Select(c => CompanionName(secretName, c.Suffix));

        /// <summary>True when <paramref name="name"/> is NAME__SUFFIX for a known suffix (case-insensitive); gives NAME and the suffix.</summary>
        public static bool IsCompanion(string name, out string baseName, out string suffix)
        {
            foreach (var (_, s) in Companions)
            {
                var tail = Separator + s;
                if (name.Length > tail.Length && name.EndsWith(tail, StringComparison.OrdinalIgnoreCase))
                {
                    baseName = name.Substring(0, name.Length - tail.Length);
                    suffix = s;
                    return true;
                }
            }
            baseName = name;
            suffix = string.Empty;
            return false;
        }
    }
}
