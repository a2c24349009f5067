using System;
using System.Globalization;

namespace CfManagement.Ledger;

/// <summary>
/// Conversions between .NET values and what both engines store and return. D1 rows arrive as JSON (numbers may be
/// long or double), SQLite rows as long/string, so readers here accept either.
/// </summary>
internal static class SqlValues
{
    /// <summary>ISO-8601 UTC with 7 fraction digits: fixed width, so comparing the text compares the instants.</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    public static string? FormatTime(DateTimeOffset? value) => value is { } v ? FormatTime(v) : null;

    public static DateTimeOffset ParseTime(object? value, string column) =>
        DateTimeOffset.ParseExact(Text(value, column), "o", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateTimeOffset? ParseOptionalTime(object? value, string column) =>
        value is null ? null : ParseTime(value, column);

    public static string Text(object? value, string column) =>
        OptionalText(value) ?? throw new LedgerException($"The ledger column '{column}' is unexpectedly empty.");

    public static string? OptionalText(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static long Integer(object? value, string column) => value switch
    {
        long l => l,
        int i => i,
        double d => checked((long)d),
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new LedgerException($"The ledger column '{column}' does not hold an integer."),
    };

    public static TEnum Enum<TEnum>(object? value, string column) where TEnum : struct
    {
        var text = Text(value, column);
        return System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var parsed)
            ? parsed
            : throw new LedgerException($"The ledger column '{column}' holds '{text}', which this version does not know.");
    }
}
