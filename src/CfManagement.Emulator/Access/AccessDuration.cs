using System.Globalization;

namespace CfManagement.Emulator.Access;

/// <summary>
/// A service token's <c>duration</c>: a Go duration string (<c>300ms</c>, <c>2h45m</c>, <c>1.5h</c>; units ns, us, µs, ms,
/// s, m, h; as Go's time.ParseDuration reads it) or <c>forever</c> (never expires). The API echoes the text as sent, so
/// <see cref="Text"/> keeps it; <see cref="Length"/> is null for forever. Zero and negative lengths are refused: a token
/// that is born expired has no use (chosen; the real API's answer to "0s" is not public).
/// </summary>
internal sealed record AccessDuration(string Text, TimeSpan? Length)
{
    public const string ForeverText = "forever";
    public static AccessDuration Default { get; } = new("8760h", TimeSpan.FromHours(8760));

    /// <summary>Null when <paramref name="text"/> is not a positive Go duration nor "forever".</summary>
    public static AccessDuration? TryParse(string text)
    {
        if (text == ForeverText)
            return new AccessDuration(text, null);
        var length = TryParseGo(text);
        return length is { } l && l > TimeSpan.Zero ? new AccessDuration(text, l) : null;
    }

    /// <summary>When a token with this duration, issued or refreshed at <paramref name="from"/>, expires (null: never).</summary>
    public DateTimeOffset? ExpiryFrom(DateTimeOffset from) =>
        Length is { } length ? (DateTimeOffset.MaxValue - from > length ? from + length : DateTimeOffset.MaxValue) : null;

    private static TimeSpan? TryParseGo(string text)
    {
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 0)
            return null;
        if (s.SequenceEqual("0"))
            return TimeSpan.Zero;
        decimal ticks = 0;
        while (s.Length > 0)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
                numberEnd++;
            if (numberEnd == 0 || !decimal.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return null;
            if (number > 1e15m) // far beyond Go's ~2562047h limit; also keeps the decimal product from overflowing
                return null;
            s = s[numberEnd..];
            var unitEnd = 0;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
                unitEnd++;
            decimal? unitTicks = s[..unitEnd] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unitTicks is null)
                return null;
            s = s[unitEnd..];
            ticks += number * unitTicks.Value;
            if (ticks > TimeSpan.MaxValue.Ticks)
                return null;
        }
        var whole = (long)decimal.Truncate(ticks);
        return TimeSpan.FromTicks(negative ? -whole : whole);
    }
}
