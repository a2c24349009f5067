using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator;

/// <summary>Identifier and token-value generation and shape checks.</summary>
internal static partial class Ids
{
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public const string UserTokenPrefix = "cfut_";
    public const string AccountTokenPrefix = "cfat_";

    /// <summary>32 lowercase hex characters, like Cloudflare object ids.</summary>
    public static string NewHexId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewUserTokenValue() => UserTokenPrefix + RandomNumberGenerator.GetString(UrlSafe, 40);
    public static string NewAccountTokenValue() => AccountTokenPrefix + RandomNumberGenerator.GetString(UrlSafe, 40);
    /// <summary>Pre-2025 token format: 40 url-safe characters, no prefix.</summary>
    // No underscore: a legacy value must never look like it carries a cfut_/cfat_ style prefix.
    public static string NewLegacyTokenValue() => RandomNumberGenerator.GetString(UrlSafe[..^1], 40);

    public static bool IsHexId(string? value) => value is not null && HexId().IsMatch(value);
    public static bool IsUuid(string? value) => value is not null && Uuid().IsMatch(value);
    /// <summary>Characters a bearer token value may contain.</summary>
    public static bool IsTokenShaped(string value) => TokenChars().IsMatch(value);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TokenChars();
}
