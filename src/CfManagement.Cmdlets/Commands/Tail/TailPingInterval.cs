using System;
using System.Globalization;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Tail;
using CfManagement.Validation;

namespace CfManagement.Commands.Tail
{
    /// <summary>
    /// CFMANAGEMENT_TAIL_PING_INTERVAL="SECONDS" (e.g. "1" or "0.5", at most 60) replaces the 10 s between Start-CfTail's
    /// pings, which is also how long a pong may be missing before the socket counts as disconnected. It exists for
    /// rehearsals against the emulator (a withheld pong is noticed in a second or two instead of twenty); deliberately
    /// an environment variable, not a parameter, like CFMANAGEMENT_REHEARSAL_RATE_LIMIT: wrangler's 10 s is what a real
    /// tail should use.
    /// </summary>
    internal static class TailPingInterval
    {
        public const string Variable = "CFMANAGEMENT_TAIL_PING_INTERVAL";

        /// <summary>The interval the variable asks for; the default when it is not set; null (and an error) when unreadable.</summary>
        public static TimeSpan? Read(out ErrorRecord? error)
        {
            error = null;
            var text = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(text)) return TailConnection.PingInterval;
            if (double.TryParse(text!.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                && seconds >= 0.1 && seconds <= 60)
                return TimeSpan.FromSeconds(seconds);
            error = InputValidator.Invalid(ErrorIds.InvalidTailPingInterval, Variable, text,
                $"The environment variable {Variable} is '{text}', not a number of seconds from 0.1 to 60.",
                $"Set it to e.g. '1' to rehearse missing pongs against the emulator, or remove it (tails then ping every {TailConnection.PingInterval.TotalSeconds:0} s).");
            return null;
        }
    }
}
