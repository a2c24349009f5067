using System;
using System.Globalization;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Sessions
{
    /// <summary>
    /// CFMANAGEMENT_REHEARSAL_RATE_LIMIT="REQUESTS/SECONDS" (e.g. "60/1") replaces the client-side budget of the
    /// sessions Connect-CfAccount opens (-RequestsPerFiveMinutes per five minutes, Cloudflare's limit) with REQUESTS
    /// per SECONDS. It exists for rehearsals against an emulator whose rate limit is scaled down (the benchmark
    /// bench/CfManagement.Bench, scenario f: 1,300 single puts under 60 per second instead of 1200 per five minutes),
    /// where the real budget would hold the run for minutes the scaled limit does not ask for. Deliberately an
    /// environment variable, not a parameter: nobody should lower Cloudflare's window against the real API, and the
    /// server's own Ratelimit/Ratelimit-Policy answers keep governing the session either way.
    /// </summary>
    internal static class RehearsalRateLimit
    {
        public const string Variable = "CFMANAGEMENT_REHEARSAL_RATE_LIMIT";

        /// <summary>The budget the variable asks for; null when it is not set; an error record when it cannot be read.</summary>
        public static (int Requests, TimeSpan Window)? Read(out ErrorRecord? error) => Parse(Environment.GetEnvironmentVariable(Variable), out error);

        /// <summary>The budget <paramref name="text"/> (the variable's value) asks for; null when empty; an error record when unreadable.</summary>
        public static (int Requests, TimeSpan Window)? Parse(string? text, out ErrorRecord? error)
        {
            error = null;
            if (string.IsNullOrWhiteSpace(text)) return null;
            var parts = text!.Split('/');
            if (parts.Length == 2
                && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var requests) && requests >= 1
                && int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1 && seconds <= 300)
                return (requests, TimeSpan.FromSeconds(seconds));
            error = InputValidator.Invalid(ErrorIds.InvalidRehearsalRateLimit, Variable, text,
                $"The environment variable {Variable} is '{text}', not REQUESTS/SECONDS.",
                $"Set it to e.g. '60/1' (60 requests per second, seconds from 1 to 300) to rehearse against a scaled-down emulator, or remove it.");
            return null;
        }
    }
}
