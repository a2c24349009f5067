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
        /// <summary>Turns -ExpiresOn / -Ttl into one UTC expiry; errors for conflicts, past dates and non-positive TTLs.</summary>
        public static DateTimeOffset? Expiry(DateTime? expiresOn, TimeSpan? ttl, DateTime? notBefore, List<ErrorRecord> errors, DateTimeOffset now)
        {
            DateTimeOffset? expiry = null;
            if (expiresOn.HasValue && ttl.HasValue)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "Ttl", ttl, "-ExpiresOn and -Ttl both set the expiry.", "Pass one of them."));
            if (ttl.HasValue)
            {
                if (ttl.Value <= TimeSpan.Zero)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidTtl, "Ttl", ttl, $"-Ttl must be positive; got {ttl.Value}.", "Pass a positive duration, e.g. -Ttl (New-TimeSpan -Hours 8) or -Ttl 8:00:00."));
                else expiry = now + ttl.Value;
            }
            if (expiresOn.HasValue)
            {
                var utc = ToUtc(expiresOn.Value);
                if (utc <= now)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidExpiry, "ExpiresOn", expiresOn, $"-ExpiresOn {utc:u} is not in the future.", "Pass a future date, or -Ttl."));
                else expiry = utc;
            }
            if (notBefore.HasValue && expiry.HasValue && ToUtc(notBefore.Value) >= expiry.Value)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidNotBefore, "NotBefore", notBefore, $"-NotBefore {ToUtc(notBefore.Value):u} is not before the expiry {expiry.Value:u}.", "Move -NotBefore earlier or the expiry later."));
            return expiry;
        }

        public static DateTimeOffset ToUtc(DateTime value) =>
            new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local) : value).ToUniversalTime();

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
                        $"-{parameterName} '{value}' is not an IP address or CIDR.", "Pass addresses like 203.0.113.7 or ranges like 198.51.100.0/24 or 2001:db8::/32."));
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
    }
}
