using System.Security;

namespace CfManagement.Issuance
{
    /// <summary>One part of an issued credential: a non-secret identifier, or a secret kept as a SecureString.</summary>
    internal sealed class CredentialPart
    {
        private CredentialPart(string name, string? text, SecureString? secret)
        {
            Name = name;
            Text = text;
            SecretValue = secret;
        }

        public static CredentialPart Identifier(string name, string text) => new CredentialPart(name, text, null);

        public static CredentialPart Secret(string name, SecureString value) => new CredentialPart(name, null, value);

        public string Name { get; }
        public bool IsSecret => SecretValue != null;
        /// <summary>The identifier's text; null for a secret part.</summary>
        public string? Text { get; }
        /// <summary>The secret; null for an identifier part.</summary>
        public SecureString? SecretValue { get; }

        public override string ToString() => IsSecret ? $"{Name} (secret)" : $"{Name}: {Text}";
    }
}
