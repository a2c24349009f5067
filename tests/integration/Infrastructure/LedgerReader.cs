using Microsoft.Data.Sqlite;

namespace CfManagement.Tests.Infrastructure;

/// <summary>One ledger_entries row as stored (kinds and outcomes are stored by name).</summary>
public sealed record LedgerRow(long Sequence, string OperationId, string Kind, string Action, string Outcome, string? TokenId, string? TokenName,
    string? Destination, string? Detail, string? ErrorId, IReadOnlyList<string?> AllColumns)
{
    /// <summary>Every column's text, so leak checks cover what the ledger holds, not just the fields a test names.</summary>
    public override string ToString() => string.Join(" | ", AllColumns);
}

/// <summary>One managed_tokens registry row as stored.</summary>
public sealed record ManagedRow(string TokenId, string TokenName, string State, DateTimeOffset? LastRotatedOn, string? ReplacedBy, string Destinations);

/// <summary>
/// Reads a test's SQLite ledger file directly with Microsoft.Data.Sqlite: the test host must not load the module's
/// ledger library (see the project file), and reading the file as stored checks what the module really wrote.
/// </summary>
public static class LedgerReader
{
    public static IReadOnlyList<LedgerRow> Entries(string path, string? kind = null)
    {
        var rows = new List<LedgerRow>();
        if (!File.Exists(path)) return rows;
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM ledger_entries" + (kind == null ? "" : " WHERE kind = $kind") + " ORDER BY seq";
        if (kind != null) command.Parameters.AddWithValue("$kind", kind);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
            var all = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            rows.Add(new LedgerRow(reader.GetInt64(reader.GetOrdinal("seq")), Text("operation_id")!, Text("kind")!, Text("action")!, Text("outcome")!, Text("token_id"), Text("token_name"),
                Text("destination"), Text("detail"), Text("error_id"), all));
        }
        return rows;
    }

    public static IReadOnlyList<ManagedRow> Managed(string path)
    {
        var rows = new List<ManagedRow>();
        if (!File.Exists(path)) return rows;
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_id, token_name, state, last_rotated_on, replaced_by, destinations FROM managed_tokens ORDER BY created_on, token_id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            rows.Add(new ManagedRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        return rows;
    }

    // Read-only and unpooled: the test must never change the ledger or keep the file open past the read.
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
