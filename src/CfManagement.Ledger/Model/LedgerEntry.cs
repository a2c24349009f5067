using System;
using System.Collections.Generic;

namespace CfManagement.Ledger;

/// <summary>
/// One recorded step: who/what/when/outcome about a token. Never holds a token value
/// (<see cref="SecretGuard"/> refuses anything that looks like one before it is written).
/// </summary>
public sealed class LedgerEntry
{
    /// <summary>Assigned by the store on append; 0 before.</summary>
    public long Sequence { get; init; }
    /// <summary>Groups the steps of one flow (a GUID string the caller makes).</summary>
    public string OperationId { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public LedgerEntryKind Kind { get; init; }
    /// <summary>e.g. "mint", "store", "revoke", "roll", "rollback", "check", "cleanup".</summary>
    public string Action { get; init; } = "";
    public LedgerOutcome Outcome { get; init; }
    public string? TokenId { get; init; }
    public string? TokenName { get; init; }
    /// <summary>"User" or "Account".</summary>
    public string? Scope { get; init; }
    public string? AccountId { get; init; }
    public string? Purpose { get; init; }
    /// <summary>Where the value went, e.g. "vault:Store/Name" (the place, never the value).</summary>
    public string? Destination { get; init; }
    public string? Actor { get; init; }
    public string? Detail { get; init; }
    public string? ErrorId { get; init; }
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary>A copy with the store-assigned sequence (the store never mutates the caller's object).</summary>
    internal LedgerEntry WithSequence(long sequence) => new()
    {
        Sequence = sequence,
        OperationId = OperationId,
        Timestamp = Timestamp,
        Kind = Kind,
        Action = Action,
        Outcome = Outcome,
        TokenId = TokenId,
        TokenName = TokenName,
        Scope = Scope,
        AccountId = AccountId,
        Purpose = Purpose,
        Destination = Destination,
        Actor = Actor,
        Detail = Detail,
        ErrorId = ErrorId,
        ExpiresOn = ExpiresOn,
    };

    /// <summary>One readable line, e.g. <c>#12 2025-01-02T03:04:05Z Rotation/roll Succeeded token=ci-deploy (abc..) op=...</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>
        {
            $"#{Sequence}",
            Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            $"{Kind}/{Action}",
            Outcome.ToString(),
        };
        if (TokenName is not null || TokenId is not null)
            parts.Add(TokenId is null ? $"token={TokenName}" : $"token={TokenName ?? "?"} ({TokenId})");
        if (Destination is not null) parts.Add($"dest={Destination}");
        if (ErrorId is not null) parts.Add($"error={ErrorId}");
        if (Detail is not null) parts.Add($"\"{Detail}\"");
        parts.Add($"op={OperationId}");
        return string.Join(" ", parts);
    }
}
