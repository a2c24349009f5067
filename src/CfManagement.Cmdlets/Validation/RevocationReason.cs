using System.Management.Automation;
using CfManagement.Errors;

namespace CfManagement.Validation
{
    /// <summary>The -Reason of Remove-CfToken / Remove-CfAccessServiceToken: free text for the ledger, checked before any request.</summary>
    internal static class RevocationReason
    {
        public const int MaxLength = 500;

        /// <summary>Null when <paramref name="reason"/> is absent or usable.</summary>
        public static ErrorRecord? Check(string? reason)
        {
            if (reason == null) return null;
            if (string.IsNullOrWhiteSpace(reason))
                return InputValidator.Invalid(ErrorIds.InvalidReason, "Reason", reason, "-Reason must not be empty.", "Say why, e.g. -Reason 'suspected compromise', or omit -Reason.");
            if (reason.Length > MaxLength)
                return InputValidator.Invalid(ErrorIds.InvalidReason, "Reason", reason.Substring(0, 40) + "...",
                    $"-Reason is {reason.Length} characters long; the ledger keeps at most {MaxLength}.", "Shorten it; put the details in your incident ticket and its id in -Reason.");
            foreach (var c in reason)
                if (char.IsControl(c))
                    return InputValidator.Invalid(ErrorIds.InvalidReason, "Reason", null, "-Reason contains a control character (a line break, tab or NUL).", "Pass one line of text.");
            return null;
        }

        /// <summary>"reason; detail", or either alone.</summary>
        public static string? Join(string? reason, string? detail) =>
            reason == null ? detail : detail == null ? reason : reason + "; " + detail;
    }
}
