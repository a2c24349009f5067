using System.Security;

namespace CfManagement.Model
{
    /// <summary>What a create or rotate answers: the service token and its one-time client secret as a SecureString.</summary>
    public sealed class CfIssuedAccessSecret
    {
        public CfIssuedAccessSecret(CfAccessServiceToken serviceToken, SecureString clientSecret)
        {
            ServiceToken = serviceToken;
            ClientSecret = clientSecret;
        }

        public CfAccessServiceToken ServiceToken { get; }
        public SecureString ClientSecret { get; }
        public override string ToString() => ServiceToken.ToString();
    }
}
