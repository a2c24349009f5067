using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Tokens
{
    /// <summary>The validity and IP-filter checks New-CfToken, Set-CfToken and New-CfManagedToken share.</summary>
    internal static class TokenInputValidation
    {
        /// <summary>
        /// The latest expiry the module sends: the start of year 9999. Beyond it dates stop round-tripping
        /// ([datetime]::MaxValue, now + [timespan]::MaxValue would overflow instead of failing cleanly).
        /// </summary>
        public static readonly DateTimeOffset MaxExpiry = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>Turns -ExpiresOn / -Ttl into one UTC expiry; errors for conflicts, past or out-of-range dates and non-positive TTLs.</summary>
        public static DateTimeOffset? Expiry(DateTime? expiresOn, TimeSpan? ttl, DateTime? notBefore, List<ErrorRecord> errors, DateTimeOffset now)
        {
            DateTimeOffset? expiry = null;
            if (expiresOn.HasValue && ttl.HasValue)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "Ttl", ttl, "-ExpiresOn and -Ttl both set the expiry.", "Pass one of them."));
            if (ttl.HasValue)
            {
                if (ttl.Value <= TimeSpan.Zero)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidTtl, "Ttl", ttl, $"-Ttl must be positive; got {ttl.Value}.", "Pass a positive duration, e.g. -Ttl (New-TimeSpan -Hours 8) or -Ttl 8:00:00."));
                else if (ttl.Value > MaxExpiry - now)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidTtl, "Ttl", ttl, $"-Ttl {ttl.Value} is out of range: the expiry would fall after {MaxExpiry:yyyy-MM-dd}.",
                        "Pass a realistic duration, e.g. -Ttl (New-TimeSpan -Days 90), or omit -Ttl for a token that does not expire."));
                else expiry = now + ttl.Value;
            }
            if (expiresOn.HasValue)
            {
                var utc = TryToUtc(expiresOn.Value);
                if (utc == null || utc.Value >= MaxExpiry)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidExpiry, "ExpiresOn", expiresOn, $"-ExpiresOn {expiresOn.Value:yyyy-MM-dd HH:mm:ss} is out of range: it must be before {MaxExpiry:yyyy-MM-dd}.",
                        "Pass a realistic future date, e.g. -ExpiresOn (Get-Date).AddDays(90), or omit it for a token that does not expire."));
                else if (utc.Value <= now)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidExpiry, "ExpiresOn", expiresOn, $"-ExpiresOn {utc:u} is not in the future.", "Pass a future date, or -Ttl."));
                else expiry = utc;
            }
            if (notBefore.HasValue)
            {
                var start = TryToUtc(notBefore.Value);
                if (start == null || start.Value >= MaxExpiry)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidNotBefore, "NotBefore", notBefore, $"-NotBefore {notBefore.Value:yyyy-MM-dd HH:mm:ss} is out of range: it must be before {MaxExpiry:yyyy-MM-dd}.",
                        "Pass a realistic date, e.g. -NotBefore (Get-Date).AddHours(1)."));
                else if (expiry.HasValue && start.Value >= expiry.Value)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidNotBefore, "NotBefore", notBefore, $"-NotBefore {start.Value:u} is not before the expiry {expiry.Value:u}.", "Move -NotBefore earlier or the expiry later."));
            }
            return expiry;
        }

        public static DateTimeOffset ToUtc(DateTime value) =>
            new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local) : value).ToUniversalTime();

        /// <summary>The UTC instant, or null when the local date cannot be represented in UTC (near DateTime.MinValue/MaxValue).</summary>
        public static DateTimeOffset? TryToUtc(DateTime value)
        {
            try { return ToUtc(value); }
            catch (ArgumentOutOfRangeException) { return null; }
        }

        /// <summary>Normalised CIDRs; an error per entry that is not an IP address or CIDR.</summary>
        public static List<string>? Cidrs(string[]? values, string parameterName, List<ErrorRecord> errors)
        {
            if (values == null) return null;
            var result = new List<string>();
            foreach (var value in values)
            {
                var cidr = CidrValidator.Normalize(value);
                if (cidr == null)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidCidr, parameterName, value,
                        $"-{parameterName} '{value}' is not a canonical IP address or CIDR: only dotted-decimal IPv4 (no leading zeros, octal or hex forms) and IPv6 without a zone id (%...) are accepted, nothing is rewritten.",
                        "Pass addresses like 203.0.113.7 or ranges like 198.51.100.0/24 or 2001:db8::/32 (write 010.0.0.1 as 10.0.0.1; drop a %zone suffix)."));
                else result.Add(cidr);
            }
            return result;
        }

        public static void CheckList(string[]? values, string parameterName, List<ErrorRecord> errors)
        {
            if (values == null) return;
            if (values.Length == 0)
                errors.Add(InputValidator.Invalid(ErrorIds.MissingPermissionGroup, parameterName, null, $"-{parameterName} is empty.", $"Pass at least one value to -{parameterName}."));
            foreach (var value in values)
                if (string.IsNullOrWhiteSpace(value))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, parameterName, value, $"-{parameterName} contains an empty entry.", $"Remove the empty entry from -{parameterName}."));
        }

        /// <summary>A group both added and removed (Set-CfToken -AddPermissionGroup X -RemovePermissionGroup X) is a contradiction, not an order of steps.</summary>
        public static void CheckAddRemoveConflict(string[]? added, string[]? removed, List<ErrorRecord> errors)
        {
            if (added == null || removed == null) return;
            var both = new List<string>();
            foreach (var a in added)
                if (!string.IsNullOrWhiteSpace(a) && Array.Exists(removed, r => string.Equals(r?.Trim(), a.Trim(), StringComparison.OrdinalIgnoreCase)) && !both.Contains(a))
                    both.Add(a);
            if (both.Count > 0)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "RemovePermissionGroup", both.ToArray(),
                    $"-AddPermissionGroup and -RemovePermissionGroup both name '{string.Join("', '", both)}'.",
                    "Name each group in one of them: -AddPermissionGroup to grant it, -RemovePermissionGroup to take it away."));
        }

        /// <summary>
        /// A -Purpose that looks like a credential (a cfut_/cfat_ value pasted into the wrong parameter) is refused before
        /// it is echoed anywhere (-WhatIf, verbose, the ledger, vault metadata). The message does not repeat it.
        /// </summary>
        public static void CheckPurposeNotSecret(string? purpose, List<ErrorRecord> errors)
        {
            if (!CfManagement.Ledger.SecretGuard.LooksLikeSecret(purpose)) return;
            errors.Add(InputValidator.Invalid(ErrorIds.PurposeLooksLikeSecret, "Purpose", null,
                "-Purpose looks like a credential (a Cloudflare token prefix or a long random run); it is recorded in the ledger and vault metadata, so it was refused and is not shown.",
                "Describe why the token exists in words, e.g. -Purpose 'nightly DNS sync'; if a token value was pasted there, treat it as exposed and roll it."));
        }
    }
}
