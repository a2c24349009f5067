using System;

namespace CfManagement.Model
{
    /// <summary>
    /// An Access service token's client secret, freshly created or rotated, with where it went. <see cref="ClientSecret"/>
    /// is a SecureString unless the caller asked for -AsPlainText; ToString() never shows it. Like
    /// <see cref="CfTokenCredential"/>, a credential delivered to a destination carries no secret at all (an object that
    /// does not need the secret must not hold it: Export-Clixml of a SecureString is reversible on Linux and macOS).
    /// </summary>
    public sealed class CfAccessServiceTokenCredential
    {
        public CfAccessServiceTokenCredential(CfAccessServiceToken serviceToken, object? clientSecret, string? destination, DateTimeOffset issuedOn,
            DateTimeOffset? previousSecretExpiresAt = null)
        {
            ServiceToken = serviceToken;
            ClientSecret = destination == null ? clientSecret : null;
            Destination = destination;
            IssuedOn = issuedOn;
            PreviousSecretExpiresAt = previousSecretExpiresAt;
        }

        public string Id => ServiceToken.Id;
        public string Name => ServiceToken.Name;
        /// <summary>Sent as CF-Access-Client-Id (not secret).</summary>
        public string ClientId => ServiceToken.ClientId;
        public DateTimeOffset? ExpiresAt => ServiceToken.ExpiresAt;
        /// <summary>When this secret was issued (create or rotate).</summary>
        public DateTimeOffset IssuedOn { get; }
        /// <summary>After a rotate with a grace period: until when the previous secret still works; null otherwise.</summary>
        public DateTimeOffset? PreviousSecretExpiresAt { get; }
        /// <summary>Where the secret was written (e.g. vault:Store/Name), or null when only returned.</summary>
        public string? Destination { get; }
        public CfAccessServiceToken ServiceToken { get; }
        /// <summary>SecureString, or string only with -AsPlainText; null when the secret went to <see cref="Destination"/>.</summary>
        public object? ClientSecret { get; }

        public override string ToString() => $"{Name} ({Id})";
    }
}
