using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// A token minted by New-CfManagedToken: Cloudflare's view (status, expiry) joined with the ledger's (purpose,
    /// destinations, lifecycle state). <see cref="Value"/> is set only when the value was returned to the caller.
    /// </summary>
    public sealed class CfManagedToken
    {
        public CfManagedToken(string tokenId, string name, string purpose, CfTokenScope scope, DateTimeOffset? expiresOn,
            IReadOnlyList<string> destinations, string state, string cloudflareStatus, DateTimeOffset? createdOn, object? value = null,
            string kind = ApiTokenKind, string? clientId = null)
        {
            Kind = kind;
            ClientId = clientId;
            TokenId = tokenId;
            Name = name;
            Purpose = purpose;
            Scope = scope;
            ExpiresOn = expiresOn;
            Destinations = destinations;
            State = state;
            CloudflareStatus = cloudflareStatus;
            CreatedOn = createdOn;
            Value = value;
        }

        public const string ApiTokenKind = "ApiToken";
        public const string AccessServiceTokenKind = "AccessServiceToken";

        /// <summary>ApiToken, or AccessServiceToken (New-CfManagedToken -AccessServiceToken: account-owned, Value is its client secret).</summary>
        public string Kind { get; }
        /// <summary>An Access service token's client id (not secret); null for an API token.</summary>
        public string? ClientId { get; }
        public string TokenId { get; }
        public string Name { get; }
        public string Purpose { get; }
        public CfTokenScope Scope { get; }
        public DateTimeOffset? ExpiresOn { get; }
        public int? DaysLeft => ExpiresOn.HasValue ? CfToken.DaysUntil(ExpiresOn.Value) : (int?)null;
        /// <summary>Where the value went (vault:Store/Name, worker:script/NAME, or caller).</summary>
        public IReadOnlyList<string> Destinations { get; }
        /// <summary>The ledger's lifecycle state: Pending, Active, RolledBack, Revoked, Replaced.</summary>
        public string State { get; }
        /// <summary>What Cloudflare says now: active, disabled, expired, or missing when it no longer lists the token.</summary>
        public string CloudflareStatus { get; }
        public bool IsExpired => string.Equals(CloudflareStatus, "expired", StringComparison.OrdinalIgnoreCase) ||
                                 (ExpiresOn.HasValue && ExpiresOn.Value <= DateTimeOffset.UtcNow);
        public DateTimeOffset? CreatedOn { get; }
        /// <summary>SecureString (string only with -AsPlainText) when the caller is the destination; otherwise null.</summary>
        public object? Value { get; }

        public override string ToString() => $"{Name} ({TokenId}) for {Purpose}";
    }
}
