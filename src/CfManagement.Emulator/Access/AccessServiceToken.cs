using System.Security.Cryptography;

namespace CfManagement.Emulator.Access;

/// <summary>
/// One Access service token: a public client id ("&lt;32 hex&gt;.access", sent as CF-Access-Client-Id) and a secret (64 hex,
/// sent as CF-Access-Client-Secret). After a rotation the previous secret keeps working until
/// <see cref="PreviousSecretExpiresAt"/> (a grace window; none when the rotation gave no time). Mutable: guarded by the
/// emulator state's gate like every other record.
/// </summary>
internal sealed class AccessServiceToken
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Name { get; set; }
    public required AccessDuration Duration { get; set; }
    /// <summary>Null for a "forever" token.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset? LastSeenAt { get; set; }

    public required string Secret { get; set; }
    /// <summary>Starts at 1; each rotation adds one.</summary>
    public int SecretVersion { get; set; } = 1;
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public static string NewClientId() => Ids.NewHexId() + ".access";
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>
    /// A new current secret; the old one stays valid until <paramref name="previousExpiresAt"/> (at or before now: it dies
    /// at once). Returns the new secret, for the one answer that shows it.
    /// </summary>
    public string Rotate(DateTimeOffset now, DateTimeOffset? previousExpiresAt)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = previousExpiresAt is { } at && at > now ? at : now;
        Secret = NewSecret();
        SecretVersion++;
        UpdatedAt = now;
        return Secret;
    }

    /// <summary>Which secret <paramref name="secret"/> is: the current one, the previous one within its grace window, or neither.</summary>
    public SecretMatch Match(string secret, DateTimeOffset now)
    {
        if (FixedEquals(secret, Secret))
            return SecretMatch.Current;
        if (PreviousSecret is not null && PreviousSecretExpiresAt is { } until && now < until && FixedEquals(secret, PreviousSecret))
            return SecretMatch.Previous;
        return SecretMatch.None;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
