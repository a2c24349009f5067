using System.Security;

namespace CfManagement.Model
{
    /// <summary>A token just created or rolled, with its one-time value as a SecureString.</summary>
    public sealed class CfCreatedToken
    {
        public CfCreatedToken(CfToken token, SecureString value)
        {
            Token = token;
            Value = value;
        }

        public CfToken Token { get; }
        public SecureString Value { get; }
        public override string ToString() => Token.ToString();
    }
}
