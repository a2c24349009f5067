using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using Microsoft.Data.Sqlite;

namespace CfManagement.Emulator.D1;

/// <summary>
/// Runs a /query request on a database: binds params positionally (?, ?NNN; see SqlParameterNumbering), returns D1's
/// <c>[{results, success, meta}]</c>. Rows of every statement's result set go into the one entry.
/// SQLite errors become 400 code 7500 carrying SQLite's message.
/// </summary>
internal static class D1QueryRunner
{
    public static JsonArray Run(D1Database database, string sql, IReadOnlyList<JsonNode?> parameters)
    {
        lock (database.Gate)
        {
            var watch = Stopwatch.StartNew();
            var changesBefore = database.Scalar("SELECT total_changes()");
            var rows = new JsonArray();
            try
            {
                using var command = database.Connection.CreateCommand();
                command.CommandText = SqlParameterNumbering.Rewrite(sql);
                for (var i = 0; i < parameters.Count; i++)
                    command.Parameters.Add(new SqliteParameter("?" + (i + 1), ToDbValue(parameters[i])));
                using var reader = command.ExecuteReader();
                do
                {
                    while (reader.Read())
                        rows.Add(ReadRow(reader));
                } while (reader.NextResult());
            }
            catch (SqliteException e)
            {
                throw ApiException.BadRequest(ErrorCodes.D1SqlError, $"{e.Message}: SQLITE_ERROR");
            }
            catch (InvalidOperationException e) // parameters missing for placeholders
            {
                throw ApiException.BadRequest(ErrorCodes.D1SqlError, $"Wrong number of parameter bindings for SQL query: {e.Message}");
            }

            var changes = database.Scalar("SELECT total_changes()") - changesBefore;
            var meta = new JsonObject
            {
                ["served_by"] = "cfemulator",
                ["served_by_region"] = "WNAM",
                ["duration"] = watch.Elapsed.TotalMilliseconds,
                ["changes"] = changes,
                ["last_row_id"] = database.Scalar("SELECT last_insert_rowid()"),
                ["changed_db"] = changes > 0,
                ["size_after"] = database.FileSize,
                ["rows_read"] = rows.Count,
                ["rows_written"] = changes,
            };
            return [new JsonObject { ["results"] = rows, ["success"] = true, ["meta"] = meta }];
        }
    }

    private static JsonObject ReadRow(SqliteDataReader reader)
    {
        var row = new JsonObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
            {
                long l => JsonValue.Create(l),
                double d => JsonValue.Create(d),
                string s => JsonValue.Create(s),
                byte[] bytes => new JsonArray(bytes.Select(b => (JsonNode?)JsonValue.Create((int)b)).ToArray()),
                var other => JsonValue.Create(other.ToString()),
            };
        }
        return row;
    }

    private static object ToDbValue(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => DBNull.Value,
        JsonValueKind.True => 1L,
        JsonValueKind.False => 0L,
        JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var l) => l,
        JsonValueKind.Number => node.GetValue<double>(),
        JsonValueKind.String => node.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
