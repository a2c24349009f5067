using System;
using System.Globalization;

namespace CfManagement.Model
{
    /// <summary>
    /// An Access service token's duration as the API takes it: a Go duration (time.ParseDuration: decimal numbers with
    /// a unit each, ns, us or µs, ms, s, m, h, e.g. 8760h, 2h45m, 1.5h) or the word forever. Checked here so a bad value is
    /// refused before any request; what is sent is the text the caller wrote (trimmed; forever in lower case).
    /// </summary>
    public sealed class AccessDuration
    {
        public const string Forever = "forever";
        /// <summary>The API's default when no duration is sent: one year in hours.</summary>
        public const string Default = "8760h";

        private AccessDuration(string text, TimeSpan? span)
        {
            Text = text;
            Span = span;
        }

        /// <summary>What goes on the wire.</summary>
        public string Text { get; }
        /// <summary>The length; null for forever.</summary>
        public TimeSpan? Span { get; }
        public bool IsForever => Span == null;

        public override string ToString() => Text;

        /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong (for the error message).</summary>
        public static bool TryParse(string? text, out AccessDuration? duration, out string? problem)
        {
            duration = null;
            var trimmed = (text ?? "").Trim();
            if (trimmed.Length == 0)
            {
                problem = "it is empty";
                return false;
            }
            if (string.Equals(trimmed, Forever, StringComparison.OrdinalIgnoreCase))
            {
                duration = new AccessDuration(Forever, null);
                problem = null;
                return true;
            }
            if (!TryParseGo(trimmed, out var ticks, out problem)) return false;
            if (ticks <= 0)
            {
                problem = "it is not longer than zero";
                return false;
            }
            duration = new AccessDuration(trimmed, TimeSpan.FromTicks(ticks));
            return true;
        }

        /// <summary>A TimeSpan as a Go duration in whole units (8760h, 90m, 1h30m5s); sub-second parts are dropped.</summary>
        public static string Format(TimeSpan span)
        {
            var seconds = (long)span.TotalSeconds;
            if (seconds <= 0) throw new ArgumentOutOfRangeException(nameof(span), "A duration must be at least one second.");
            var hours = seconds / 3600;
            var minutes = seconds % 3600 / 60;
            var rest = seconds % 60;
            return (hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "")
                   + (minutes > 0 ? minutes.ToString(CultureInfo.InvariantCulture) + "m" : "")
                   + (rest > 0 ? rest.ToString(CultureInfo.InvariantCulture) + "s" : "");
        }

        /// <summary>Go's time.ParseDuration, without a sign (a service token's duration cannot be negative) and capped at TimeSpan's range.</summary>
        private static bool TryParseGo(string s, out long ticks, out string? problem)
        {
            ticks = 0;
            problem = null;
            var i = 0;
            if (s == "0")
            {
                problem = "it is not longer than zero";
                return false;
            }
            if (s[0] == '-' || s[0] == '+')
            {
                problem = "a sign is not allowed (a duration is a length of time such as 8760h)";
                return false;
            }
            decimal total = 0;
            while (i < s.Length)
            {
                var start = i;
                while (i < s.Length && (char.IsDigit(s[i]) && s[i] < 128)) i++;
                var whole = s.Substring(start, i - start);
                var fraction = "";
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    var fractionStart = i;
                    while (i < s.Length && (char.IsDigit(s[i]) && s[i] < 128)) i++;
                    fraction = s.Substring(fractionStart, i - fractionStart);
                }
                if (whole.Length == 0 && fraction.Length == 0)
                {
                    problem = $"'{s}' has no number where one is expected (at position {start + 1})";
                    return false;
                }
                var unitStart = i;
                while (i < s.Length && !(char.IsDigit(s[i]) && s[i] < 128) && s[i] != '.') i++;
                var unit = s.Substring(unitStart, i - unitStart);
                decimal perUnit;
                switch (unit)
                {
                    case "ns": perUnit = 0.01m; break;
                    case "us":
                    case "\u00b5s":
                    case "\u03bcs": perUnit = 10m; break;
                    case "ms": perUnit = TimeSpan.TicksPerMillisecond; break;
                    case "s": perUnit = TimeSpan.TicksPerSecond; break;
                    case "m": perUnit = TimeSpan.TicksPerMinute; break;
                    case "h": perUnit = TimeSpan.TicksPerHour; break;
                    case "":
                        problem = $"the number {whole}{(fraction.Length > 0 ? "." + fraction : "")} has no unit (ns, us, ms, s, m or h)";
                        return false;
                    default:
                        problem = $"'{unit}' is not a unit (ns, us, ms, s, m or h; days are written in hours, e.g. 720h for 30 days)";
                        return false;
                }
                if (whole.Length > 18 || fraction.Length > 18)
                {
                    problem = "the number is too large";
                    return false;
                }
                var number = decimal.Parse((whole.Length == 0 ? "0" : whole) + (fraction.Length > 0 ? "." + fraction : ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                total += number * perUnit;
                // Go rejects a duration beyond ~292 years (int64 nanoseconds); TimeSpan holds more, so Go's limit is the one.
                if (total > 292m * 365 * TimeSpan.TicksPerDay)
                {
                    problem = "it is longer than a Go duration can be (about 292 years); use forever for a token that never expires";
                    return false;
                }
            }
            ticks = (long)decimal.Floor(total);
            return true;
        }
    }
}
