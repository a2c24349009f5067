namespace CfManagement.Emulator;

/// <summary>A dashboard user, member of the emulated account.
/// A Super Administrator may grant every permission group and sees every account token;
/// other users may grant only <see cref="GrantableGroupIds"/>.</summary>
public sealed record EmulatorUser(string Id, string Email, bool IsSuperAdmin, IReadOnlySet<string> GrantableGroupIds, DateTimeOffset CreatedOn);
