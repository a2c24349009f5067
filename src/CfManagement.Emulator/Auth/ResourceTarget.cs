namespace CfManagement.Emulator.Auth;

/// <summary>What a permission is checked against: a user, an account, or a zone of an account.</summary>
internal sealed record ResourceTarget(string? UserId, string? AccountId, string? ZoneId)
{
    public static ResourceTarget User(string userId) => new(userId, null, null);
    public static ResourceTarget Account(string accountId) => new(null, accountId, null);
    public static ResourceTarget Zone(string accountId, string zoneId) => new(null, accountId, zoneId);
}
