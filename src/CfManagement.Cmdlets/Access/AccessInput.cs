using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Access
{
    /// <summary>The checks of the Access service token parameters, before any request: each error names the parameter and the fix.</summary>
    internal static class AccessInput
    {
        /// <summary>Service token ids are UUIDs (access_uuid), as Get-CfAccessServiceToken shows them.</summary>
        private static readonly Regex Uuid = new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant);

        /// <summary>The longest grace window accepted: a previous secret alive for more than a year defeats the rotation.</summary>
        public static readonly TimeSpan MaxGracePeriod = TimeSpan.FromDays(365);

        public static ErrorRecord? CheckId(string? id, string parameterName)
        {
            if (id != null && Uuid.IsMatch(id)) return null;
            var hint = id != null && Uuid.IsMatch(id.Trim().ToLowerInvariant()) ? " It contains upper-case letters or spaces; ids are lower-case." : "";
            return InputValidator.Invalid(ErrorIds.InvalidAccessServiceTokenId, parameterName, id,
                $"-{parameterName} '{id}' is not an Access service token id (a UUID such as 3f2a61b4-0c55-4e1e-9d0b-6a1c1f6d2e7a).{hint}",
                "Pass the Id property of Get-CfAccessServiceToken output (not the ClientId), or pipe the token in.");
        }

        public static ErrorRecord? CheckName(string? name, string parameterName) => InputValidator.CheckName(name, parameterName, 350);

        /// <summary>The parsed duration, or the error saying what is wrong with it.</summary>
        public static ErrorRecord? CheckDuration(string? text, string parameterName, out AccessDuration? duration)
        {
            if (AccessDuration.TryParse(text, out duration, out var problem)) return null;
            return InputValidator.Invalid(ErrorIds.InvalidAccessDuration, parameterName, text,
                $"-{parameterName} '{text}' is not a service token duration: {problem}.",
                "Pass a Go duration with a unit (h, m, s), e.g. 8760h for a year, 2160h for 90 days, 60m; or forever for a token that never expires.");
        }

        public static ErrorRecord? CheckGracePeriod(TimeSpan? grace, string parameterName)
        {
            if (grace == null || (grace.Value > TimeSpan.Zero && grace.Value <= MaxGracePeriod)) return null;
            var why = grace.Value <= TimeSpan.Zero ? "must be longer than zero (omit it for no grace: the old secret then stops working at once)" : $"is longer than {MaxGracePeriod.TotalDays:0} days";
            return InputValidator.Invalid(ErrorIds.InvalidGracePeriod, parameterName, grace.Value, $"-{parameterName} {grace.Value} {why}.",
                "Pass how long the old secret should keep working while its consumers switch, e.g. -GracePeriod (New-TimeSpan -Hours 24).");
        }

        public static ErrorRecord? CheckExpiringWithin(TimeSpan? within, string parameterName) =>
            within == null || within.Value > TimeSpan.Zero
                ? null
                : InputValidator.Invalid(ErrorIds.InvalidExpiringWithin, parameterName, within.Value, $"-{parameterName} {within.Value} must be longer than zero.",
                    "Pass a window such as (New-TimeSpan -Days 30): tokens expiring before then (and already expired ones) are listed.");
    }
}
