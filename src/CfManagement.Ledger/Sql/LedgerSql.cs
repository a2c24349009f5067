using System.Collections.Generic;
using System.Text;

namespace CfManagement.Ledger;

/// <summary>
/// Every statement the ledger runs, shared by both engines. Placeholders are numbered (?1, ?2, ...): D1 accepts them,
/// and Microsoft.Data.Sqlite can bind them by name, which it cannot do for bare "?".
/// </summary>
internal static class LedgerSql
{
    // The column order here is the order of LedgerRowMapper.EntryParameters.
    private const string EntryColumns =
        "operation_id, timestamp, kind, action, outcome, token_id, token_name, scope, account_id, purpose, destination, actor, detail, error_id, expires_on";

    // RETURNING gives the new sequence in the same statement (SQLite 3.35+, supported by D1), so no second round trip
    // and no race with another writer's last_insert_rowid.
    public const string InsertEntry =
        "INSERT INTO ledger_entries (" + EntryColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING seq";

    public const string InsertSchemaVersion =
        "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?1, ?2)";

    public const string SelectSchemaVersion =
        "SELECT value FROM ledger_meta WHERE key = ?1";

    // The column order here is the order of LedgerRowMapper.RecordParameters.
    public const string UpsertManagedToken =
        @"INSERT INTO managed_tokens (token_id, token_name, scope, purpose, account_id, created_on, expires_on, destinations, state, last_rotated_on, replaced_by)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
ON CONFLICT (token_id) DO UPDATE SET
    token_name = excluded.token_name, scope = excluded.scope, purpose = excluded.purpose, account_id = excluded.account_id,
    created_on = excluded.created_on, expires_on = excluded.expires_on, destinations = excluded.destinations,
    state = excluded.state, last_rotated_on = excluded.last_rotated_on, replaced_by = excluded.replaced_by";

    /// <summary>A compare-and-set of the state: one row back when it changed, none when another writer got there first.</summary>
    public const string ChangeManagedTokenState =
        "UPDATE managed_tokens SET state = ?3 WHERE token_id = ?1 AND state = ?2 RETURNING token_id";

    private const string ManagedTokenColumns =
        "token_id, token_name, scope, purpose, account_id, created_on, expires_on, destinations, state, last_rotated_on, replaced_by";

    public const string SelectManagedToken =
        "SELECT " + ManagedTokenColumns + " FROM managed_tokens WHERE token_id = ?1";

    public const string SelectManagedTokens =
        "SELECT " + ManagedTokenColumns + " FROM managed_tokens ORDER BY created_on, token_id";

    /// <summary>The fingerprint key is created once per ledger by whoever gets there first; everyone then reads the winner's.</summary>
    public const string InsertFingerprintKey = "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?1, ?2)";

    public const string SelectFingerprintKey = "SELECT value FROM ledger_meta WHERE key = ?1";

    public const string SelectSecretFingerprints =
        "SELECT name, fingerprint FROM secret_fingerprints WHERE account_id = ?1 AND target = ?2";

    /// <summary>Rows per fingerprint upsert: 5 parameters each, and D1 binds at most 100 parameters per statement.</summary>
    public const int FingerprintRowsPerStatement = 20;

    /// <summary>An upsert of <paramref name="rows"/> fingerprints (account_id, target, name, fingerprint, updated_on each).</summary>
    public static string UpsertSecretFingerprints(int rows)
    {
        var values = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var b = i * 5;
            values.Add($"(?{b + 1}, ?{b + 2}, ?{b + 3}, ?{b + 4}, ?{b + 5})");
        }
        return "INSERT INTO secret_fingerprints (account_id, target, name, fingerprint, updated_on) VALUES " + string.Join(", ", values) +
               " ON CONFLICT (account_id, target, name) DO UPDATE SET fingerprint = excluded.fingerprint, updated_on = excluded.updated_on";
    }

    /// <summary>Deletes up to <paramref name="names"/> fingerprints of one target (?1 account, ?2 target, then the names).</summary>
    public static string DeleteSecretFingerprints(int names)
    {
        var list = new List<string>();
        for (var i = 0; i < names; i++) list.Add("?" + (i + 3));
        return "DELETE FROM secret_fingerprints WHERE account_id = ?1 AND target = ?2 AND name IN (" + string.Join(", ", list) + ")";
    }

    /// <summary>The SELECT for a <see cref="LedgerQuery"/>: every set filter ANDed, oldest first.</summary>
    public static SqlStatement SelectEntries(LedgerQuery query)
    {
        var where = new List<string>();
        var parameters = new List<object?>();

        void Add(string condition, object? value)
        {
            parameters.Add(value);
            where.Add(condition.Replace("?", "?" + parameters.Count));
        }

        if (query.Kind is { } kind) Add("kind = ?", kind.ToString());
        if (query.TokenId is not null) Add("token_id = ?", query.TokenId);
        // LIKE is case-insensitive for ASCII in SQLite, like PowerShell's -like.
        if (query.TokenName is not null) Add(@"token_name LIKE ? ESCAPE '\'", WildcardToLike.Translate(query.TokenName));
        if (query.Purpose is not null) Add("purpose = ?", query.Purpose);
        if (query.OperationId is not null) Add("operation_id = ?", query.OperationId);
        if (query.Outcome is { } outcome) Add("outcome = ?", outcome.ToString());
        if (query.Since is { } since) Add("timestamp >= ?", SqlValues.FormatTime(since));
        if (query.Until is { } until) Add("timestamp <= ?", SqlValues.FormatTime(until));

        var sql = new StringBuilder("SELECT seq, " + EntryColumns + " FROM ledger_entries");
        if (where.Count > 0)
            sql.Append(" WHERE ").Append(string.Join(" AND ", where));

        if (query.Last is { } last)
        {
            // Newest N first, then flipped back so callers always get oldest first.
            parameters.Add((long)System.Math.Max(0, last));
            sql.Append(" ORDER BY seq DESC LIMIT ?").Append(parameters.Count);
            return new SqlStatement("SELECT * FROM (" + sql + ") ORDER BY seq", parameters);
        }

        sql.Append(" ORDER BY seq");
        return new SqlStatement(sql.ToString(), parameters);
    }

    private const string TokenConsumerColumns =
        "credential, destination, kind, description, client_id_name, registered_on, registered_by";

    /// <summary>
    /// Registers a consumer, or updates the one already registered for the same credential and destination: the kind is
    /// replaced, the description and client id name only when given (null keeps what is stored), and the first
    /// registered_on / registered_by stay (when and by whom it was first put on the map). Returns the stored row.
    /// </summary>
    public const string UpsertTokenConsumer =
        "INSERT INTO token_consumers (" + TokenConsumerColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" +
        " ON CONFLICT (credential, destination) DO UPDATE SET kind = excluded.kind," +
        " description = COALESCE(excluded.description, token_consumers.description)," +
        " client_id_name = COALESCE(excluded.client_id_name, token_consumers.client_id_name)" +
        " RETURNING " + TokenConsumerColumns;

    /// <summary>One row back when the consumer was registered (and is now gone), none when it was not.</summary>
    public const string DeleteTokenConsumer =
        "DELETE FROM token_consumers WHERE credential = ?1 AND destination = ?2 RETURNING credential";

    /// <summary>Every consumer, or those whose credential matches a wildcard (?1, a LIKE pattern), by credential then destination.</summary>
    public static SqlStatement SelectTokenConsumers(string? credentialWildcard)
    {
        var sql = "SELECT " + TokenConsumerColumns + " FROM token_consumers";
        var parameters = new List<object?>();
        if (credentialWildcard != null)
        {
            // LIKE is case-insensitive for ASCII, like the column's NOCASE and PowerShell's -like.
            sql += @" WHERE credential LIKE ?1 ESCAPE '\'";
            parameters.Add(WildcardToLike.Translate(credentialWildcard));
        }
        return new SqlStatement(sql + " ORDER BY credential, destination", parameters);
    }
}
