using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Sessions
{
    /// <summary>
    /// Opens a session and proves the token works: the prefix picks the verify endpoint (cfut_ user, cfat_ account);
    /// a legacy unprefixed token tries the user endpoint and falls back to the account one. A user token without an
    /// account id adopts the only account it can see.
    /// </summary>
    internal static class SessionConnector
    {
        public const string TokenVariable = "CLOUDFLARE_API_TOKEN";
        public const string AccountVariable = "CLOUDFLARE_ACCOUNT_ID";
        public const string BaseUriVariable = "CLOUDFLARE_API_BASE_URL";

        public static async Task<CfSession> ConnectAsync(SecureString token, Uri baseUri, string? accountId, RetryOptions options,
            string source, List<string> warnings, CancellationToken cancellationToken)
        {
            var session = new CfSession(token, baseUri, accountId, options, source);
            try
            {
                var verification = await VerifyAsync(session, null, accountId, cancellationToken).ConfigureAwait(false);
                if (!verification.IsActive)
                    throw new CfRecordException(NotActive(verification));
                session.RecordVerification(verification);
                await AdoptAccountAsync(session, warnings, cancellationToken).ConfigureAwait(false);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        /// <summary>Verifies the session token (value null) or a given value, choosing the endpoint by prefix.</summary>
        public static async Task<CfTokenVerification> VerifyAsync(CfSession session, SecureString? value, string? accountId, CancellationToken cancellationToken)
        {
            var prefix = value == null ? session.TokenPrefix() : PrefixOf(value);
            if (prefix == "cfat_")
            {
                if (string.IsNullOrEmpty(accountId)) throw new CfRecordException(AccountIdRequired());
                return await session.Tokens.VerifyAsync(CfTokenScope.Account, accountId, value, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                return await session.Tokens.VerifyAsync(CfTokenScope.User, null, value, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudflareApiException ex) when (prefix != "cfut_" && !string.IsNullOrEmpty(accountId) &&
                                                    ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 401)
            {
                ApiDiagnostics.Verbose("The token is not a user token; verifying it as an account-owned token.");
                return await session.Tokens.VerifyAsync(CfTokenScope.Account, accountId, value, cancellationToken).ConfigureAwait(false);
            }
        }

        public static string PrefixOf(SecureString value)
        {
            var prefix = SecureStringReader.Prefix(value, 5);
            return prefix == "cfut_" || prefix == "cfat_" ? prefix : string.Empty;
        }

        private static async Task AdoptAccountAsync(CfSession session, List<string> warnings, CancellationToken cancellationToken)
        {
            try
            {
                if (!string.IsNullOrEmpty(session.AccountId))
                {
                    var account = await session.Accounts.GetAsync(session.AccountId!, cancellationToken).ConfigureAwait(false);
                    session.SetAccount(account.Id, account.Name);
                    return;
                }
                var page = await session.Accounts.ListPageAsync(1, cancellationToken).ConfigureAwait(false);
                if (page.TotalCount == 1 && page.Items.Count == 1)
                    session.SetAccount(page.Items[0].Id, page.Items[0].Name);
                else if (page.TotalCount > 1)
                    warnings.Add($"The token can see {page.TotalCount} accounts; pass -AccountId to work with account-owned tokens.");
            }
            catch (CloudflareApiException ex)
            {
                // The account name is a convenience: a token without account read access still connects.
                ApiDiagnostics.Verbose($"Could not read account details ({ex.Errors.Count} error(s), status {(int?)ex.StatusCode}); continuing without them.");
            }
        }

        internal static ErrorRecord AccountIdRequired() => InputValidator.Invalid(ErrorIds.AccountIdRequired, "AccountId", null,
            "-AccountId is required: this is an account-owned token (cfat_), and its endpoints live under /accounts/{id}.",
            $"Pass -AccountId <32-hex account id> or set {AccountVariable}.");

        private static ErrorRecord NotActive(CfTokenVerification verification)
        {
            var message = $"The token {verification.Id} is {verification.Status}, not active; Cloudflare will refuse it.";
            var record = new ErrorRecord(new InvalidOperationException(message), ErrorIds.TokenNotActive, ErrorCategory.AuthenticationError, verification);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Enable or roll the token in Cloudflare, or connect with another one." };
            return record;
        }
    }
}
