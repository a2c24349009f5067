using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Errors;

namespace CfManagement.Validation
{
    /// <summary>
    /// Checks parameter values before anything is sent. Each failure is an ErrorRecord with a stable ErrorId,
    /// category InvalidArgument, the parameter name and the fix; the offending value is the target (never a secret:
    /// secrets are SecureString and are not validated here).
    /// </summary>
    public static class InputValidator
    {
        private static readonly Regex Hex32 = new Regex("^[0-9a-f]{32}$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        public static bool IsHex32(string? value) => value != null && Hex32.IsMatch(value);

        /// <summary>Null when the id is well formed, else the error to report.</summary>
        public static ErrorRecord? CheckId(string? value, string parameterName, string what, string errorId = ErrorIds.InvalidId)
        {
            if (IsHex32(value)) return null;
            var hint = value != null && IsHex32(value.Trim().ToLowerInvariant())
                ? " It contains upper-case letters or spaces; Cloudflare ids are lower-case."
                : string.Empty;
            return Invalid(errorId, parameterName, value,
                $"-{parameterName} '{value}' is not a {what} id: Cloudflare ids are 32 lower-case hexadecimal characters.{hint}",
                $"Pass the 32-character hex id, e.g. from the Id property of Get-Cf* output.");
        }

        public static ErrorRecord? CheckName(string? value, string parameterName, int maxLength = 120)
        {
            if (string.IsNullOrWhiteSpace(value))
                return Invalid(ErrorIds.InvalidName, parameterName, value, $"-{parameterName} must not be empty or white space.", $"Pass a non-empty value to -{parameterName}.");
            if (value!.Length > maxLength)
                return Invalid(ErrorIds.InvalidName, parameterName, value, $"-{parameterName} is {value.Length} characters long; Cloudflare accepts at most {maxLength}.", $"Shorten -{parameterName} to {maxLength} characters or fewer.");
            return null;
        }

        /// <summary>
        /// Null when <paramref name="value"/> is a usable wildcard pattern. WildcardPattern parses lazily, so an
        /// unbalanced '[' would otherwise fail as a raw WildcardPatternException at the first match, after the listing
        /// request was sent.
        /// </summary>
        public static ErrorRecord? CheckWildcard(string? value, string parameterName)
        {
            if (value == null || !WildcardPattern.ContainsWildcardCharacters(value)) return null;
            try
            {
                new WildcardPattern(value, WildcardOptions.IgnoreCase).IsMatch(string.Empty);
                return null;
            }
            catch (WildcardPatternException)
            {
                return Invalid(ErrorIds.InvalidWildcardPattern, parameterName, value,
                    $"-{parameterName} '{value}' is not a valid wildcard pattern: a '[' opens a character range that must be closed with ']'.",
                    $"Close the range (e.g. 'admin-[mn]*'), or escape a literal bracket with a backtick: 'admin-`[manager'.");
            }
        }

        /// <summary>Null when <paramref name="value"/> is a ledger operation id (32 lower-case hex, as the ledger shows it).</summary>
        public static ErrorRecord? CheckOperationId(string? value, string parameterName = "OperationId")
        {
            if (value == null || IsHex32(value)) return null;
            return Invalid(ErrorIds.InvalidOperationId, parameterName, value,
                $"-{parameterName} '{value}' is not a ledger operation id: those are 32 lower-case hexadecimal characters.",
                "Copy the OperationId property of a Get-CfLedger entry, or the id an error's recommended action names.");
        }

        public static ErrorRecord? CheckApiBaseUri(string? value, out Uri? uri)
        {
            uri = null;
            if (!string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value, UriKind.Absolute, out var parsed) &&
                (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps) && string.IsNullOrEmpty(parsed.UserInfo))
            {
                uri = parsed;
                return null;
            }
            return Invalid(ErrorIds.InvalidApiBaseUri, "ApiBaseUri", value,
                $"-ApiBaseUri '{value}' is not an absolute http:// or https:// URI without user information.",
                "Pass the API root, e.g. https://api.cloudflare.com/client/v4/ or the emulator's http://127.0.0.1:<port>/client/v4/.");
        }

        /// <summary>The one error for "this needs an account, the session has none": what needs it, and how to fix it.</summary>
        public static ErrorRecord AccountRequired(string parameterName, object? value, string what) => Invalid(ErrorIds.AccountIdRequired, parameterName, value,
            $"{what}, but the session has no account id.",
            "Reconnect with Connect-CfAccount -AccountId <32-hex id> (or set CLOUDFLARE_ACCOUNT_ID).");

        public static ErrorRecord Invalid(string errorId, string parameterName, object? value, string message, string fix)
        {
            var record = new ErrorRecord(new ArgumentException(message, parameterName), errorId, ErrorCategory.InvalidArgument, value);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix };
            return record;
        }
    }
}
