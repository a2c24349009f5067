using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using CfManagement.Model;

namespace CfManagement.Issuance
{
    /// <summary>
    /// What Cloudflare issued, as destinations receive it: one or more parts, each either a non-secret identifier
    /// (an Access service token's client id) or a secret (a SecureString), and what it belongs to: an API token
    /// (<see cref="Token"/>: one secret part, its value) or an Access service token (<see cref="ServiceToken"/>: the
    /// client id, then the client secret). ToString names the credential and never shows a secret part.
    /// </summary>
    internal sealed class IssuedCredential
    {
        public const string ClientIdPart = "ClientId";
        public const string ClientSecretPart = "ClientSecret";

        private readonly CfToken? _token;

        public IssuedCredential(CfToken token, IReadOnlyList<CredentialPart> parts, DateTimeOffset issuedOn)
            : this(token.Id, token.Name, token.ExpiresOn, parts, issuedOn)
        {
            _token = token;
        }

        public IssuedCredential(CfAccessServiceToken serviceToken, IReadOnlyList<CredentialPart> parts, DateTimeOffset issuedOn)
            : this(serviceToken.Id, serviceToken.Name, serviceToken.ExpiresAt, parts, issuedOn)
        {
            ServiceToken = serviceToken;
        }

        private IssuedCredential(string id, string name, DateTimeOffset? expiresOn, IReadOnlyList<CredentialPart> parts, DateTimeOffset issuedOn)
        {
            if (!parts.Any(p => p.IsSecret)) throw new ArgumentException("A credential has at least one secret part.", nameof(parts));
            Id = id;
            Name = name;
            ExpiresOn = expiresOn;
            Parts = parts;
            IssuedOn = issuedOn;
        }

        /// <summary>An API token: its id (not secret) and its value.</summary>
        public static IssuedCredential ApiToken(CfToken token, SecureString value, DateTimeOffset issuedOn) =>
            new IssuedCredential(token, new[] { CredentialPart.Identifier("TokenId", token.Id), CredentialPart.Secret("Value", value) }, issuedOn);

        /// <summary>An Access service token: its client id (not secret) and its client secret.</summary>
        public static IssuedCredential AccessServiceToken(CfAccessServiceToken serviceToken, SecureString clientSecret, DateTimeOffset issuedOn) =>
            new IssuedCredential(serviceToken, new[] { CredentialPart.Identifier(ClientIdPart, serviceToken.ClientId), CredentialPart.Secret(ClientSecretPart, clientSecret) }, issuedOn);

        /// <summary>The API token the credential belongs to (id, name, expiry, scopes); only for API-token credentials.</summary>
        public CfToken Token => _token ?? throw new InvalidOperationException($"{this} is an Access service token, not an API token.");

        /// <summary>The Access service token the credential belongs to; null for an API token.</summary>
        public CfAccessServiceToken? ServiceToken { get; }

        public bool IsApiToken => _token != null;
        public IReadOnlyList<CredentialPart> Parts { get; }
        public DateTimeOffset IssuedOn { get; }
        public string Id { get; }
        public string Name { get; }
        public DateTimeOffset? ExpiresOn { get; }

        /// <summary>The first secret part: what a single-value destination (a vault secret, a Worker secret) stores.</summary>
        public SecureString PrimarySecret => Parts.First(p => p.IsSecret).SecretValue!;

        /// <summary>
        /// The value a destination writes for the part it was given (null: the primary secret). An identifier part is
        /// handed over as a read-only SecureString, because every destination takes one (a Worker secret holds the client id too).
        /// </summary>
        public SecureString ValueOf(string? partName)
        {
            if (partName == null) return PrimarySecret;
            var part = Parts.FirstOrDefault(p => p.Name == partName)
                ?? throw new InvalidOperationException($"{this} has no part '{partName}' (it has {string.Join(", ", Parts.Select(p => p.Name))}).");
            if (part.IsSecret) return part.SecretValue!;
            var text = new SecureString();
            foreach (var c in part.Text!) text.AppendChar(c);
            text.MakeReadOnly();
            return text;
        }

        /// <summary>The API-token credential as the caller receives it (output object, error TargetObject, $CfRescuedCredentials).</summary>
        public CfTokenCredential ToCallerCredential(string? destination = null, bool asPlainText = false) =>
            new CfTokenCredential(Token, asPlainText ? Http.SecureStringReader.ToPlainText(PrimarySecret) : (object)PrimarySecret, destination, IssuedOn);

        /// <summary>The Access service token credential as the caller receives it; only for Access credentials.</summary>
        public CfAccessServiceTokenCredential ToCallerAccessCredential(string? destination = null, bool asPlainText = false, DateTimeOffset? previousSecretExpiresAt = null)
        {
            var serviceToken = ServiceToken ?? throw new InvalidOperationException($"{this} is an API token, not an Access service token.");
            var secret = ValueOf(ClientSecretPart);
            return new CfAccessServiceTokenCredential(serviceToken, asPlainText ? Http.SecureStringReader.ToPlainText(secret) : (object)secret, destination, IssuedOn, previousSecretExpiresAt);
        }

        /// <summary>Whichever caller credential fits (what the sequence rescues into $CfRescuedCredentials).</summary>
        public object ToCaller() => IsApiToken ? ToCallerCredential() : (object)ToCallerAccessCredential();

        public override string ToString() => $"{Name} ({Id})";
    }
}
