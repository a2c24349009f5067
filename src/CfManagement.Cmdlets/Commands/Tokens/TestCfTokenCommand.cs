using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Verifies a token with Cloudflare: status, expiry and days left. Without -Token, verifies the session's own token.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CfToken")]
    [OutputType(typeof(CfTokenVerification))]
    public sealed class TestCfTokenCommand : CfSessionCmdlet
    {
        /// <summary>The token value to verify, as a SecureString. cfut_/cfat_ prefixes pick the endpoint.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ApiToken", "Value")]
        public SecureString? Token { get; set; }

        protected override void ProcessCfRecord()
        {
            var session = CurrentSession;
            try
            {
                WriteObject(Await(ct => SessionConnector.VerifyAsync(session, Token, session.AccountId, ct)));
            }
            catch (CloudflareApiException ex) when (IsRejectedCredential(ex))
            {
                // The answer to "is this token good?" is no: that is a result, not a failure of the command.
                var scope = Token == null ? session.TokenScope : (SessionConnector.PrefixOf(Token) == "cfat_" ? CfTokenScope.Account : CfTokenScope.User);
                WriteObject(new CfTokenVerification(null, "invalid", scope, null, null, string.Join("; ", ex.Errors)));
            }
        }

        private static bool IsRejectedCredential(CloudflareApiException ex) =>
            ex.Kind == ApiFailureKind.Response && ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 401;
    }
}
