namespace CfManagement.Emulator;

/// <summary>condition.request_ip: CIDRs (or single IPs) the client must / must not come from.</summary>
public sealed record TokenCondition(IReadOnlyList<string> In, IReadOnlyList<string> NotIn);
