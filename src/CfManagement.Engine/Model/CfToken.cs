using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>An API token's metadata. The value is never part of it: Cloudflare shows a value only once.</summary>
    public sealed class CfToken
    {
        public CfToken(string id, string name, string status, CfTokenScope scope, string? accountId,
            DateTimeOffset? issuedOn, DateTimeOffset? modifiedOn, DateTimeOffset? lastUsedOn,
            DateTimeOffset? notBefore, DateTimeOffset? expiresOn, IReadOnlyList<CfTokenPolicy> policies,
            IReadOnlyList<string> allowedIp, IReadOnlyList<string> deniedIp)
        {
            Id = id;
            Name = name;
            Status = status;
            Scope = scope;
            AccountId = accountId;
            IssuedOn = issuedOn;
            ModifiedOn = modifiedOn;
            LastUsedOn = lastUsedOn;
            NotBefore = notBefore;
            ExpiresOn = expiresOn;
            Policies = policies;
            AllowedIp = allowedIp;
            DeniedIp = deniedIp;
        }

        public string Id { get; }
        public string Name { get; }
        /// <summary>active, disabled, expired or "revoked (exposed)".</summary>
        public string Status { get; }
        public CfTokenScope Scope { get; }
        /// <summary>The owning account for account-owned tokens; null for user tokens.</summary>
        public string? AccountId { get; }
        public DateTimeOffset? IssuedOn { get; }
        public DateTimeOffset? ModifiedOn { get; }
        public DateTimeOffset? LastUsedOn { get; }
        public DateTimeOffset? NotBefore { get; }
        public DateTimeOffset? ExpiresOn { get; }
        public IReadOnlyList<CfTokenPolicy> Policies { get; }
        public IReadOnlyList<string> AllowedIp { get; }
        public IReadOnlyList<string> DeniedIp { get; }

        /// <summary>Whole days until expiry (negative once expired); null for tokens that never expire.</summary>
        public int? DaysLeft => ExpiresOn.HasValue ? DaysUntil(ExpiresOn.Value) : (int?)null;

        /// <summary>Names of every permission group granted by an allow policy.</summary>
        public IReadOnlyList<string> PermissionGroupNames => Policies
            .Where(p => string.Equals(p.Effect, "allow", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.PermissionGroups).Select(g => g.ToString()).Distinct().ToList();

        public override string ToString() => $"{Name} ({Id})";

        // Rounded, not floored: a token created with a one-day TTL shows 1 day left, not 0, a few seconds later.
        internal static int DaysUntil(DateTimeOffset when) => (int)Math.Round((when - DateTimeOffset.UtcNow).TotalDays, MidpointRounding.AwayFromZero);
    }
}
