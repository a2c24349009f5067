using System;

namespace CfManagement.Model
{
    /// <summary>
    /// An Access service token's metadata: the client id (not secret: Access reads it from CF-Access-Client-Id) and
    /// its lifetime. The client secret is never part of it: Cloudflare shows a secret only in the create and rotate
    /// answers (see <see cref="CfAccessServiceTokenCredential"/>).
    /// </summary>
    public sealed class CfAccessServiceToken
    {
        public CfAccessServiceToken(string id, string clientId, string name, string duration, DateTimeOffset? expiresAt,
            DateTimeOffset? createdAt, DateTimeOffset? updatedAt, DateTimeOffset? lastSeenAt, bool? enabled, string? accountId)
        {
            Id = id;
            ClientId = clientId;
            Name = name;
            Duration = duration;
            ExpiresAt = expiresAt;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            LastSeenAt = lastSeenAt;
            Enabled = enabled;
            AccountId = accountId;
        }

        public string Id { get; }
        /// <summary>Sent as CF-Access-Client-Id; not a secret.</summary>
        public string ClientId { get; }
        public string Name { get; }
        /// <summary>Go-style duration (8760h, 60m) or forever: how far a refresh moves the expiry.</summary>
        public string Duration { get; }
        /// <summary>Null for a token that never expires (duration forever) or when Cloudflare did not say.</summary>
        public DateTimeOffset? ExpiresAt { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }
        /// <summary>When Access last saw the token; optional in the API (not every answer carries it).</summary>
        public DateTimeOffset? LastSeenAt { get; }
        /// <summary>False: refused with both its current and previous secret. Null when the answer did not say.</summary>
        public bool? Enabled { get; }
        public string? AccountId { get; }

        /// <summary>Whole days until expiry (negative once expired); null for tokens that never expire.</summary>
        public int? DaysLeft => ExpiresAt.HasValue ? CfToken.DaysUntil(ExpiresAt.Value) : (int?)null;

        public override string ToString() => $"{Name} ({Id})";
    }
}
