using System;

namespace CfManagement.Model
{
    /// <summary>
    /// One credential in a SecretManagement vault as the runbook convention describes it: what its metadata (or, for a
    /// vault without metadata, its NAME__TOKEN_ID / __CLIENT_ID / __EXPIRES_AT / __SCOPES / __REVOKED_AT companion
    /// secrets) says about it. Never its value: <see cref="HasValue"/> only tells whether the vault holds one.
    /// </summary>
    public sealed class CfVaultCredential
    {
        public const string ApiTokenKind = "ApiToken";
        public const string AccessServiceTokenKind = "AccessServiceToken";
        public const string UnknownKind = "Unknown";
        public const string FromMetadata = "Metadata";
        public const string FromCompanions = "Companions";
        public const string FromNothing = "None";

        public CfVaultCredential(string name, string vault, string kind, string? tokenId, string? clientId, string? tokenName,
            string? scopes, DateTimeOffset? expiresOn, DateTimeOffset? issuedOn, string? purpose, string metadataSource,
            bool hasValue, bool isRevoked, DateTimeOffset? revokedOn, string? revokedReason)
        {
            Name = name;
            Vault = vault;
            Kind = kind;
            TokenId = tokenId;
            ClientId = clientId;
            TokenName = tokenName;
            Scopes = scopes;
            ExpiresOn = expiresOn;
            IssuedOn = issuedOn;
            Purpose = purpose;
            MetadataSource = metadataSource;
            HasValue = hasValue;
            IsRevoked = isRevoked;
            RevokedOn = revokedOn;
            RevokedReason = revokedReason;
        }

        /// <summary>The credential's vault secret name (never a companion's name).</summary>
        public string Name { get; }
        public string Vault { get; }
        /// <summary>ApiToken, AccessServiceToken (a client id is recorded) or Unknown (neither a token id nor a client id).</summary>
        public string Kind { get; }
        public string? TokenId { get; }
        /// <summary>An Access service token's client id (not secret); null for an API token.</summary>
        public string? ClientId { get; }
        public string? TokenName { get; }
        /// <summary>The human-readable scope string (permission group names), as stored.</summary>
        public string? Scopes { get; }
        /// <summary>Null when the token never expires or the vault does not say.</summary>
        public DateTimeOffset? ExpiresOn { get; }
        public int? DaysLeft => ExpiresOn.HasValue ? CfToken.DaysUntil(ExpiresOn.Value) : (int?)null;
        public bool IsExpired => ExpiresOn.HasValue && ExpiresOn.Value <= DateTimeOffset.UtcNow;
        public DateTimeOffset? IssuedOn { get; }
        public string? Purpose { get; }
        /// <summary>Where the facts came from: Metadata (SecretManagement metadata), Companions, or None.</summary>
        public string MetadataSource { get; }
        /// <summary>Whether the vault holds a value under <see cref="Name"/> (false: only companions are left).</summary>
        public bool HasValue { get; }
        public bool IsRevoked { get; }
        public DateTimeOffset? RevokedOn { get; }
        public string? RevokedReason { get; }

        public override string ToString() => Name;
    }
}
