using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Base
{
    /// <summary>A cmdlet that can open a session: Connect-CfAccount explicitly, session cmdlets implicitly.</summary>
    public abstract class CfConnectingCmdlet : CfCmdlet
    {
        /// <summary>Connects with CLOUDFLARE_API_TOKEN; the account id and base URI fall back to their variables.</summary>
        protected CfSession ConnectFromEnvironment(string? accountId, Uri? baseUri, RetryOptions? options = null)
        {
            var value = Environment.GetEnvironmentVariable(SessionConnector.TokenVariable);
            if (string.IsNullOrEmpty(value))
                ThrowTerminatingError(InputValidator.Invalid(ErrorIds.MissingApiToken, "FromEnvironment", null,
                    $"-FromEnvironment was given but {SessionConnector.TokenVariable} is not set.",
                    $"Set {SessionConnector.TokenVariable} (a GitHub Actions secret or Automation variable) or pass -ApiToken."));
            if (TokenValueValidator.Check(value, SessionConnector.TokenVariable, out var usable) is ErrorRecord badValue)
                ThrowTerminatingError(badValue);
            using (var token = SecureStringReader.FromPlainText(usable!))
                return Connect(token, accountId, baseUri, options, "Environment");
        }

        protected CfSession Connect(System.Security.SecureString token, string? accountId, Uri? baseUri, RetryOptions? options, string source)
        {
            accountId ??= EnvironmentAccountId();
            baseUri ??= EnvironmentBaseUri() ?? CfSession.DefaultApiBaseUri;
            if (accountId != null && InputValidator.CheckId(accountId, "AccountId", "account", ErrorIds.InvalidAccountId) is ErrorRecord bad)
                ThrowTerminatingError(bad);
            var warnings = new List<string>();
            CfSession session;
            try
            {
                session = Await(ct => SessionConnector.ConnectAsync(token, baseUri, accountId, options ?? new RetryOptions(), source, warnings, ct));
            }
            catch (CfRecordException ex)
            {
                ThrowTerminatingError(ex.ErrorRecord);
                throw;
            }
            catch (Api.CloudflareApiException ex)
            {
                ThrowTerminatingError(ApiErrorMapper.ToErrorRecord(ex, baseUri.ToString()));
                throw;
            }
            foreach (var warning in warnings) WriteWarning(warning);
            return session;
        }

        private string? EnvironmentAccountId()
        {
            var value = Environment.GetEnvironmentVariable(SessionConnector.AccountVariable);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        private Uri? EnvironmentBaseUri()
        {
            var value = Environment.GetEnvironmentVariable(SessionConnector.BaseUriVariable);
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (InputValidator.CheckApiBaseUri(value, out var uri) is ErrorRecord bad) ThrowTerminatingError(bad);
            return uri;
        }
    }
}
