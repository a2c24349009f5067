using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using CfManagement.Model;

namespace CfManagement.Issuance
{
    /// <summary>
    /// What Cloudflare issued, as destinations receive it: one or more parts, each either a non-secret identifier
    /// (an Access service token's client id) or a secret (a SecureString). An API token has one secret part, its value.
    /// ToString names the credential and never shows a secret part.
    /// </summary>
    internal sealed class IssuedCredential
    {
        public IssuedCredential(CfToken token, IReadOnlyList<CredentialPart> parts, DateTimeOffset issuedOn)
        {
            if (!parts.Any(p => p.IsSecret)) throw new ArgumentException("A credential has at least one secret part.", nameof(parts));
            Token = token;
            Parts = parts;
            IssuedOn = issuedOn;
        }

        /// <summary>An API token: its id (not secret) and its value.</summary>
        public static IssuedCredential ApiToken(CfToken token, SecureString value, DateTimeOffset issuedOn) =>
            new IssuedCredential(token, new[] { CredentialPart.Identifier("TokenId", token.Id), CredentialPart.Secret("Value", value) }, issuedOn);

        /// <summary>The token (or, later, the service token) the credential belongs to: id, name, expiry, scopes.</summary>
        public CfToken Token { get; }
        public IReadOnlyList<CredentialPart> Parts { get; }
        public DateTimeOffset IssuedOn { get; }
        public string Id => Token.Id;
        public string Name => Token.Name;

        /// <summary>The first secret part: what a single-value destination (a vault secret, a Worker secret) stores.</summary>
        public SecureString PrimarySecret => Parts.First(p => p.IsSecret).SecretValue!;

        /// <summary>The credential as the caller receives it (output object, error TargetObject, $CfRescuedCredentials).</summary>
        public CfTokenCredential ToCallerCredential(string? destination = null, bool asPlainText = false) =>
            new CfTokenCredential(Token, asPlainText ? Http.SecureStringReader.ToPlainText(PrimarySecret) : (object)PrimarySecret, destination, IssuedOn);

        public override string ToString() => $"{Name} ({Id})";
    }
}
