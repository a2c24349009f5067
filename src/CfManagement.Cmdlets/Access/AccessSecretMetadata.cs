using System;
using System.Collections.Generic;
using CfManagement.Model;

namespace CfManagement.Access
{
    /// <summary>
    /// What travels with a stored client secret (vault metadata, or the NAME__CLIENT_ID / __TOKEN_ID / __EXPIRES_AT
    /// companion secrets of a vault without metadata; the Secrets Store comment): which service token it is, its client
    /// id (a consumer needs both halves), when it expires. Never the secret itself.
    /// </summary>
    internal static class AccessSecretMetadata
    {
        public static Dictionary<string, string> For(CfAccessServiceToken token, DateTimeOffset issuedOn, string? purpose = null)
        {
            var metadata = new Dictionary<string, string>
            {
                ["Kind"] = "AccessServiceToken",
                ["TokenId"] = token.Id,
                ["TokenName"] = token.Name,
                ["ClientId"] = token.ClientId,
                ["ExpiresOn"] = token.ExpiresAt?.UtcDateTime.ToString("o") ?? "never",
                ["Duration"] = token.Duration,
                ["IssuedOn"] = issuedOn.UtcDateTime.ToString("o"),
                ["ManagedBy"] = "CfManagement",
            };
            if (purpose != null) metadata["Purpose"] = purpose;
            return metadata;
        }
    }
}
