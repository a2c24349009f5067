using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Model;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Verifies a token with Cloudflare: status, expiry and days left. Without -Token, verifies the session's own token.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CfToken", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(CfTokenVerification))]
    public sealed class TestCfTokenCommand : CfSessionCmdlet
    {
        private const string TokenSet = "Token";
        private const string CredentialSet = "Credential";

        /// <summary>The token value to verify, as a SecureString. cfut_/cfat_ prefixes pick the endpoint.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TokenSet)]
        [Alias("ApiToken", "Value")]
        public SecureString? Token { get; set; }

        /// <summary>
        /// A credential from New-CfToken or Invoke-CfTokenRoll: its Value is verified. Its own parameter because a
        /// CfTokenCredential has a Token property (the token's metadata) that would otherwise win the by-property-name
        /// binding to -Token over its Value, and fail.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = CredentialSet)]
        public CfTokenCredential? Credential { get; set; }

        protected override void ProcessCfRecord()
        {
            SecureString? owned = null;
            var token = Token;
            if (ParameterSetName == CredentialSet)
            {
                switch (Credential?.Value)
                {
                    case SecureString secure: token = secure; break;
                    case string plain when plain.Length > 0:
                        if (TokenValueValidator.Check(plain, nameof(Credential), out var checkedPlain) is ErrorRecord badPlain) { WriteError(badPlain); return; }
                        token = owned = SecureStringReader.FromPlainText(checkedPlain!);
                        break;
                    default:
                        WriteError(InputValidator.Invalid(ErrorIds.MissingApiToken, nameof(Credential), Credential?.ToString(),
                            "-Credential carries no token value.", "Pass the credential New-CfToken or Invoke-CfTokenRoll returned, or the value to -Token."));
                        return;
                }
            }
            if (ParameterSetName == CredentialSet ? owned == null : token != null)
            {
                // -Token (and a SecureString credential): trimmed of surrounding white space, refused for anything inside.
                if (TokenValueValidator.Check(token, ParameterSetName == CredentialSet ? nameof(Credential) : nameof(Token), out var usable, out var copied) is ErrorRecord badValue)
                {
                    WriteError(badValue);
                    return;
                }
                token = usable;
                if (copied) owned = usable;
            }
            try
            {
                var session = CurrentSession;
                try
                {
                    WriteObject(Await(ct => SessionConnector.VerifyAsync(session, token, session.AccountId, ct)));
                }
                catch (CloudflareApiException ex) when (IsRejectedCredential(ex))
                {
                    // The answer to "is this token good?" is no: that is a result, not a failure of the command.
                    var scope = token == null ? session.TokenScope : (SessionConnector.PrefixOf(token) == "cfat_" ? CfTokenScope.Account : CfTokenScope.User);
                    WriteObject(new CfTokenVerification(null, "invalid", scope, null, null, string.Join("; ", ex.Errors)));
                }
            }
            finally
            {
                owned?.Dispose();
            }
        }

        private static bool IsRejectedCredential(CloudflareApiException ex) =>
            ex.Kind == ApiFailureKind.Response && ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 401;
    }
}
