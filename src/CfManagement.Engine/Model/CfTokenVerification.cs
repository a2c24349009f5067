using System;

namespace CfManagement.Model
{
    /// <summary>The result of verifying a token value: what Cloudflare's verify endpoint says about it.</summary>
    public sealed class CfTokenVerification
    {
        public CfTokenVerification(string? id, string status, CfTokenScope? scope, DateTimeOffset? notBefore,
            DateTimeOffset? expiresOn, string message)
        {
            Id = id;
            Status = status;
            Scope = scope;
            NotBefore = notBefore;
            ExpiresOn = expiresOn;
            Message = message;
            CheckedOn = DateTimeOffset.UtcNow;
        }

        /// <summary>The token's id; null when Cloudflare did not recognise the value.</summary>
        public string? Id { get; }
        /// <summary>active, disabled, expired, "revoked (exposed)", or invalid when the value is unknown.</summary>
        public string Status { get; }
        public bool IsActive => string.Equals(Status, "active", StringComparison.OrdinalIgnoreCase);
        public CfTokenScope? Scope { get; }
        public DateTimeOffset? NotBefore { get; }
        public DateTimeOffset? ExpiresOn { get; }
        public int? DaysLeft => ExpiresOn.HasValue ? CfToken.DaysUntil(ExpiresOn.Value) : (int?)null;
        public string Message { get; }
        public DateTimeOffset CheckedOn { get; }

        public override string ToString() => $"{Id ?? "(unknown token)"}: {Status}";
    }
}
