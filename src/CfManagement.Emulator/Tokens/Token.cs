namespace CfManagement.Emulator.Tokens;

/// <summary>The emulator's mutable token record. Only touched under <c>EmulatorState.Gate</c>.</summary>
internal sealed class Token
{
    public required string Id { get; init; }
    public required TokenOwnerKind Owner { get; init; }
    /// <summary>Owning user (user tokens).</summary>
    public string? OwnerUserId { get; init; }
    /// <summary>Owning account (account tokens).</summary>
    public string? AccountId { get; init; }
    /// <summary>User who created an account token (null: created by an account token).</summary>
    public string? CreatedByUserId { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset IssuedOn { get; init; }

    public required string Name { get; set; }
    public required string Value { get; set; }
    public bool IsLegacyFormat { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset ModifiedOn { get; set; }
    public DateTimeOffset? LastUsedOn { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? ExpiresOn { get; set; }
    public IReadOnlyList<Policy> Policies { get; set; } = [];
    public TokenCondition? Condition { get; set; }

    /// <summary>Stored status, except an active token past expires_on reads "expired".</summary>
    public string EffectiveStatus(DateTimeOffset now) =>
        Status == TokenStatuses.Active && ExpiresOn is { } expires && expires <= now ? TokenStatuses.Expired : Status;

    /// <summary>Whether the value authenticates right now.</summary>
    public bool IsUsable(DateTimeOffset now) =>
        EffectiveStatus(now) == TokenStatuses.Active && (NotBefore is not { } nb || nb <= now);

    public TokenSnapshot Snapshot(DateTimeOffset now, string? ownerEmail, string? createdByEmail) => new(
        Id, Name, Owner, OwnerUserId, ownerEmail, AccountId, CreatedByUserId, createdByEmail,
        EffectiveStatus(now), IssuedOn, ModifiedOn, LastUsedOn, NotBefore, ExpiresOn, Policies, Condition, IsLegacyFormat);
}
