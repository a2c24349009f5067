namespace CfManagement.Emulator.Access;

/// <summary>
/// One request the protected origin received, for test assertions (GET /__emulator/access/origin-requests). The
/// client secret is never kept, only whether one was sent; the client id is public and kept.
/// </summary>
internal sealed record AccessOriginVisit(DateTimeOffset Timestamp, string Method, string Host, string Path, string? ClientId,
    bool SecretSent, int Status, string Outcome, string Reason, string? AppId, string? TokenId);
