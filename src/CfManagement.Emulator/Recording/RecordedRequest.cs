namespace CfManagement.Emulator;

/// <summary>One API request as received. The Authorization value is never kept, only whether it was sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, bool HasAuthorization, DateTimeOffset Timestamp);
