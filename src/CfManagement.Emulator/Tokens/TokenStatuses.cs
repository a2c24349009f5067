namespace CfManagement.Emulator;

/// <summary>Token status strings as the API spells them.</summary>
public static class TokenStatuses
{
    public const string Active = "active";
    public const string Disabled = "disabled";
    public const string Expired = "expired";
    public const string RevokedExposed = "revoked (exposed)";

    public static readonly IReadOnlyList<string> All = [Active, Disabled, Expired, RevokedExposed];
}
