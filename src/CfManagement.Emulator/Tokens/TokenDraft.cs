namespace CfManagement.Emulator.Tokens;

/// <summary>A validated create/update body. <see cref="Status"/> is null when the body had none.</summary>
internal sealed record TokenDraft(string Name, IReadOnlyList<Policy> Policies, TokenCondition? Condition,
    DateTimeOffset? ExpiresOn, DateTimeOffset? NotBefore, string? Status);
