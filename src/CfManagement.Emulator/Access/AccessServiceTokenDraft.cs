namespace CfManagement.Emulator.Access;

/// <summary>What a create or update body asks for; null members were not sent.</summary>
internal sealed record AccessServiceTokenDraft(string? Name, AccessDuration? Duration, bool? Enabled, long? ClientSecretVersion,
    DateTimeOffset? PreviousClientSecretExpiresAt);
