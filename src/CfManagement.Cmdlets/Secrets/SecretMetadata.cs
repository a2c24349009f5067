using System;
using System.Collections.Generic;
using CfManagement.Model;

namespace CfManagement.Secrets
{
    /// <summary>
    /// What travels with a stored value (vault metadata, or the NAME__TOKEN_ID / __EXPIRES_AT / __SCOPES companion
    /// secrets): which token it is, when it expires, what it may do. Never the value itself.
    /// </summary>
    internal static class SecretMetadata
    {
        public static Dictionary<string, string> For(CfToken token, DateTimeOffset issuedOn, string? purpose = null, string? replacesTokenId = null)
        {
            var metadata = new Dictionary<string, string>
            {
                ["TokenId"] = token.Id,
                ["TokenName"] = token.Name,
                ["ExpiresOn"] = token.ExpiresOn?.UtcDateTime.ToString("o") ?? "never",
                ["Scopes"] = string.Join(", ", token.PermissionGroupNames),
                ["IssuedOn"] = issuedOn.UtcDateTime.ToString("o"),
                ["ManagedBy"] = "CfManagement",
            };
            if (purpose != null) metadata["Purpose"] = purpose;
            if (replacesTokenId != null) metadata["ReplacesTokenId"] = replacesTokenId;
            return metadata;
        }
    }
}
