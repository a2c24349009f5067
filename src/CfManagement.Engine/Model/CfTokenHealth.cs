using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// The health of one token as Test-CfTokenHealth sees it: status, expiry, and which required permission groups it
    /// lacks, with the issues found and the commands that fix them. Never carries a token value.
    /// </summary>
    public sealed class CfTokenHealth
    {
        public CfTokenHealth(string? tokenId, string? tokenName, CfTokenScope? scope, string status, DateTimeOffset? expiresOn,
            IReadOnlyList<string> requiredPermissionGroups, IReadOnlyList<string> missingPermissionGroups, bool permissionsKnown,
            string? extraInfo, IReadOnlyList<string> issues, IReadOnlyList<string> recommendations, DateTimeOffset checkedOn)
        {
            TokenId = tokenId;
            TokenName = tokenName;
            Scope = scope;
            Status = status;
            ExpiresOn = expiresOn;
            RequiredPermissionGroups = requiredPermissionGroups;
            MissingPermissionGroups = missingPermissionGroups;
            PermissionsKnown = permissionsKnown;
            ExtraInfo = extraInfo;
            Issues = issues;
            Recommendations = recommendations;
            CheckedOn = checkedOn;
        }

        /// <summary>The token's id; null when Cloudflare did not recognise a value given with -Token.</summary>
        public string? TokenId { get; }
        /// <summary>The token's name; null when only its value was verified and its details could not be read.</summary>
        public string? TokenName { get; }
        public CfTokenScope? Scope { get; }
        /// <summary>active, disabled, expired, "revoked (exposed)", or invalid for a value Cloudflare does not know.</summary>
        public string Status { get; }
        public DateTimeOffset? ExpiresOn { get; }
        /// <summary>Whole days until expiry (negative once expired); null when the token never expires.</summary>
        public int? DaysLeft => ExpiresOn.HasValue ? CfToken.DaysUntil(ExpiresOn.Value) : (int?)null;
        /// <summary>The permission-group names the token was checked against.</summary>
        public IReadOnlyList<string> RequiredPermissionGroups { get; }
        /// <summary>Required permission-group names the token does not hold (empty when PermissionsKnown is false).</summary>
        public IReadOnlyList<string> MissingPermissionGroups { get; }
        /// <summary>False when the token's policies could not be read (verify-only), so missing groups are unknown.</summary>
        public bool PermissionsKnown { get; }
        /// <summary>Context such as why the permissions are unknown or which profile entry applied.</summary>
        public string? ExtraInfo { get; }
        public bool Healthy => Issues.Count == 0;
        public IReadOnlyList<string> Issues { get; }
        /// <summary>What to do about each issue, as commands where one exists.</summary>
        public IReadOnlyList<string> Recommendations { get; }
        public DateTimeOffset CheckedOn { get; }

        public override string ToString() =>
            $"{TokenName ?? "(unnamed token)"} ({TokenId ?? "unknown id"}): {(Healthy ? "healthy" : string.Join("; ", Issues))}";
    }
}
