using System;

namespace CfManagement.Json
{
    // Access service token wire shapes (cf-trimmed.json, access-service-tokens-*; API-FACTS "Access service tokens").
    // client_secret is in the create and rotate answers only; it is moved into a SecureString and cleared at once.

    internal sealed class WireAccessServiceToken
    {
        public string Id { get; set; } = "";
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public string? Name { get; set; }
        public string? Duration { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public DateTimeOffset? LastSeenAt { get; set; }
        public bool? Enabled { get; set; }
    }

    /// <summary>The create and update body; members left null are not sent.</summary>
    internal sealed class WireAccessServiceTokenRequest
    {
        public string? Name { get; set; }
        public string? Duration { get; set; }
    }

    /// <summary>The rotate body: omitted (empty object), the previous secret dies at once.</summary>
    internal sealed class WireAccessServiceTokenRotateRequest
    {
        public string? PreviousClientSecretExpiresAt { get; set; }
    }
}
