using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>What a token should be: the body of a create or a full update. Built by the cmdlets from names.</summary>
    public sealed class CfTokenDefinition
    {
        public CfTokenDefinition(string name, IReadOnlyList<CfTokenPolicy> policies, IReadOnlyList<string>? allowedIp = null,
            IReadOnlyList<string>? deniedIp = null, DateTimeOffset? expiresOn = null, DateTimeOffset? notBefore = null, string? status = null)
        {
            Name = name;
            Policies = policies;
            AllowedIp = allowedIp ?? Array.Empty<string>();
            DeniedIp = deniedIp ?? Array.Empty<string>();
            ExpiresOn = expiresOn;
            NotBefore = notBefore;
            Status = status;
        }

        public string Name { get; }
        public IReadOnlyList<CfTokenPolicy> Policies { get; }
        public IReadOnlyList<string> AllowedIp { get; }
        public IReadOnlyList<string> DeniedIp { get; }
        public DateTimeOffset? ExpiresOn { get; }
        public DateTimeOffset? NotBefore { get; }
        /// <summary>active or disabled on update; null on create.</summary>
        public string? Status { get; }

        /// <summary>The definition of an existing token, as the starting point of an update that must keep the rest.</summary>
        public static CfTokenDefinition FromToken(CfToken token) => new CfTokenDefinition(token.Name, token.Policies,
            token.AllowedIp, token.DeniedIp, token.ExpiresOn, token.NotBefore,
            token.Status == "disabled" ? "disabled" : "active");

        public CfTokenDefinition With(string? name = null, IReadOnlyList<CfTokenPolicy>? policies = null,
            IReadOnlyList<string>? allowedIp = null, IReadOnlyList<string>? deniedIp = null,
            DateTimeOffset? expiresOn = null, bool clearExpiry = false, DateTimeOffset? notBefore = null, string? status = null) =>
            new CfTokenDefinition(name ?? Name, policies ?? Policies, allowedIp ?? AllowedIp, deniedIp ?? DeniedIp,
                clearExpiry ? null : expiresOn ?? ExpiresOn, notBefore ?? NotBefore, status ?? Status);

        /// <summary>Every permission-group id granted by an allow policy.</summary>
        public IReadOnlyList<string> AllowedGroupIds => Policies
            .Where(p => string.Equals(p.Effect, "allow", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.PermissionGroups).Select(g => g.Id).Distinct().ToList();
    }
}
