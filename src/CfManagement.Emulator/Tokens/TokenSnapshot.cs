namespace CfManagement.Emulator;

/// <summary>An immutable copy of a token for test assertions. Never carries the value.</summary>
public sealed record TokenSnapshot(
    string Id,
    string Name,
    TokenOwnerKind OwnerKind,
    string? OwnerUserId,
    string? OwnerEmail,
    string? AccountId,
    string? CreatedByUserId,
    string? CreatedByEmail,
    string Status,
    DateTimeOffset IssuedOn,
    DateTimeOffset ModifiedOn,
    DateTimeOffset? LastUsedOn,
    DateTimeOffset? NotBefore,
    DateTimeOffset? ExpiresOn,
    IReadOnlyList<Policy> Policies,
    TokenCondition? Condition,
    bool IsLegacyFormat)
{
    /// <summary>Ids of all permission groups in allow policies.</summary>
    public IReadOnlySet<string> AllowedGroupIds =>
        Policies.Where(p => p.Effect == "allow").SelectMany(p => p.PermissionGroupIds).ToHashSet();
}
