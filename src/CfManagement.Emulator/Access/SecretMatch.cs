namespace CfManagement.Emulator.Access;

/// <summary>Which of a service token's secrets a presented secret is.</summary>
internal enum SecretMatch
{
    None,
    Current,
    /// <summary>The secret before the last rotation, still within its grace window.</summary>
    Previous,
}
