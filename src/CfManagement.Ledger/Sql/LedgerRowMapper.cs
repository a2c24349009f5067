using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace CfManagement.Ledger;

/// <summary>
/// The one mapping between ledger objects and rows, used by both engines: objects to positional parameters
/// (in the column order of <see cref="LedgerSql"/>), and rows (column name to value) back to objects.
/// </summary>
internal static class LedgerRowMapper
{
    public static IReadOnlyList<object?> EntryParameters(LedgerEntry e) => new object?[]
    {
        e.OperationId,
        SqlValues.FormatTime(e.Timestamp),
        e.Kind.ToString(),
        e.Action,
        e.Outcome.ToString(),
        e.TokenId,
        e.TokenName,
        e.Scope,
        e.AccountId,
        e.Purpose,
        e.Destination,
        e.Actor,
        e.Detail,
        e.ErrorId,
        SqlValues.FormatTime(e.ExpiresOn),
    };

    public static LedgerEntry ToEntry(IReadOnlyDictionary<string, object?> row) => new()
    {
        Sequence = SqlValues.Integer(Get(row, "seq"), "seq"),
        OperationId = SqlValues.Text(Get(row, "operation_id"), "operation_id"),
        Timestamp = SqlValues.ParseTime(Get(row, "timestamp"), "timestamp"),
        Kind = SqlValues.Enum<LedgerEntryKind>(Get(row, "kind"), "kind"),
        Action = SqlValues.Text(Get(row, "action"), "action"),
        Outcome = SqlValues.Enum<LedgerOutcome>(Get(row, "outcome"), "outcome"),
        TokenId = SqlValues.OptionalText(Get(row, "token_id")),
        TokenName = SqlValues.OptionalText(Get(row, "token_name")),
        Scope = SqlValues.OptionalText(Get(row, "scope")),
        AccountId = SqlValues.OptionalText(Get(row, "account_id")),
        Purpose = SqlValues.OptionalText(Get(row, "purpose")),
        Destination = SqlValues.OptionalText(Get(row, "destination")),
        Actor = SqlValues.OptionalText(Get(row, "actor")),
        Detail = SqlValues.OptionalText(Get(row, "detail")),
        ErrorId = SqlValues.OptionalText(Get(row, "error_id")),
        ExpiresOn = SqlValues.ParseOptionalTime(Get(row, "expires_on"), "expires_on"),
    };

    public static IReadOnlyList<object?> RecordParameters(ManagedTokenRecord r) => new object?[]
    {
        r.TokenId,
        r.TokenName,
        r.Scope,
        r.Purpose,
        r.AccountId,
        SqlValues.FormatTime(r.CreatedOn),
        SqlValues.FormatTime(r.ExpiresOn),
        JsonSerializer.Serialize((r.Destinations ?? Array.Empty<string>()).ToArray()),
        r.State,
        SqlValues.FormatTime(r.LastRotatedOn),
        r.ReplacedBy,
    };

    public static ManagedTokenRecord ToRecord(IReadOnlyDictionary<string, object?> row) => new()
    {
        TokenId = SqlValues.Text(Get(row, "token_id"), "token_id"),
        TokenName = SqlValues.Text(Get(row, "token_name"), "token_name"),
        Scope = SqlValues.Text(Get(row, "scope"), "scope"),
        Purpose = SqlValues.Text(Get(row, "purpose"), "purpose"),
        AccountId = SqlValues.OptionalText(Get(row, "account_id")),
        CreatedOn = SqlValues.ParseTime(Get(row, "created_on"), "created_on"),
        ExpiresOn = SqlValues.ParseOptionalTime(Get(row, "expires_on"), "expires_on"),
        Destinations = JsonSerializer.Deserialize<string[]>(SqlValues.Text(Get(row, "destinations"), "destinations")) ?? Array.Empty<string>(),
        State = SqlValues.Text(Get(row, "state"), "state"),
        LastRotatedOn = SqlValues.ParseOptionalTime(Get(row, "last_rotated_on"), "last_rotated_on"),
        ReplacedBy = SqlValues.OptionalText(Get(row, "replaced_by")),
    };

    public static IReadOnlyList<object?> ConsumerParameters(TokenConsumerRecord c) => new object?[]
    {
        c.Credential,
        c.Destination,
        c.Kind,
        c.Description,
        c.ClientIdName,
        SqlValues.FormatTime(c.RegisteredOn),
        c.RegisteredBy,
    };

    public static TokenConsumerRecord ToConsumer(IReadOnlyDictionary<string, object?> row) => new()
    {
        Credential = SqlValues.Text(Get(row, "credential"), "credential"),
        Destination = SqlValues.Text(Get(row, "destination"), "destination"),
        Kind = SqlValues.Text(Get(row, "kind"), "kind"),
        Description = SqlValues.OptionalText(Get(row, "description")),
        ClientIdName = SqlValues.OptionalText(Get(row, "client_id_name")),
        RegisteredOn = SqlValues.ParseTime(Get(row, "registered_on"), "registered_on"),
        RegisteredBy = SqlValues.OptionalText(Get(row, "registered_by")),
    };

    // A missing column is a programming error in LedgerSql, not bad data, so say which one.
    private static object? Get(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value)
            ? value
            : throw new LedgerException($"The ledger query did not return the column '{column}'.");
}
