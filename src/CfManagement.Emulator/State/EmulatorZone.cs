namespace CfManagement.Emulator;

/// <summary>A zone of the emulated account.</summary>
public sealed record EmulatorZone(string Id, string Name, string AccountId, DateTimeOffset CreatedOn);
