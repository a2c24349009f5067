using System;
using System.Collections.Generic;

namespace CfManagement.Ledger;

/// <summary>
/// The registry row of a token minted by New-CfManagedToken: what it is for and where its value was stored.
/// Rewritten in place as the token is rotated or revoked; the history lives in the ledger entries.
/// </summary>
public sealed class ManagedTokenRecord
{
    public string TokenId { get; init; } = "";
    public string TokenName { get; init; } = "";
    /// <summary>"User" or "Account".</summary>
    public string Scope { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string? AccountId { get; init; }
    public DateTimeOffset CreatedOn { get; init; }
    public DateTimeOffset? ExpiresOn { get; init; }
    /// <summary>Where the value was stored, e.g. "vault:Store/Name" (places, never values).</summary>
    public IReadOnlyList<string> Destinations { get; init; } = Array.Empty<string>();
    /// <summary>Active, Revoked, RolledBack or Replaced.</summary>
    public string State { get; init; } = "Active";
    public DateTimeOffset? LastRotatedOn { get; init; }
    /// <summary>The id of the token that replaced this one on rotation.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>This row with its lifecycle fields changed and everything else kept.</summary>
    public ManagedTokenRecord With(string? state = null, DateTimeOffset? lastRotatedOn = null, string? replacedBy = null) => new()
    {
        TokenId = TokenId, TokenName = TokenName, Scope = Scope, Purpose = Purpose, AccountId = AccountId, CreatedOn = CreatedOn,
        ExpiresOn = ExpiresOn, Destinations = Destinations, State = state ?? State, LastRotatedOn = lastRotatedOn ?? LastRotatedOn,
        ReplacedBy = replacedBy ?? ReplacedBy,
    };

    public override string ToString() => $"{TokenName} ({TokenId}) {Scope} {State} purpose={Purpose}";
}
