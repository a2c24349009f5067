using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace CfManagement.Ledger;

/// <summary>
/// The default ledger: a SQLite file on this machine (see <see cref="LedgerPaths.DefaultSqlitePath"/>).
/// Each call opens its own short-lived connection in WAL mode with a busy timeout, so two runbooks (or two
/// PowerShell sessions) on one machine can share the file: readers never block, a writer waits for the other.
/// </summary>
public sealed class SqliteLedger : ILedger
{
    // How long a writer waits for another process's write to finish before failing with SQLITE_BUSY.
    private const int BusyTimeoutMilliseconds = 15000;

    private readonly string _connectionString;
    private readonly LedgerCore _core;
    private bool _disposed;

    public SqliteLedger(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A ledger file path is required.", nameof(path));
        Location = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(Location);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pooling: nothing keeps the file open between calls, so Dispose needs no pool clearing and the file
            // can be moved or deleted as soon as we are done. A ledger write per step does not need the speed.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _core = new LedgerCore(RunAsync, RunBatchAsync);
    }

    public string Engine => "Sqlite";
    public string Location { get; }

    public Task InitializeAsync(CancellationToken ct) => Guarded().InitializeAsync(ct);
    public Task<LedgerEntry> AppendAsync(LedgerEntry entry, CancellationToken ct) => Guarded().AppendAsync(entry, ct);
    public Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken ct) => Guarded().QueryAsync(query, ct);
    public Task UpsertManagedTokenAsync(ManagedTokenRecord record, CancellationToken ct) => Guarded().UpsertManagedTokenAsync(record, ct);
    public Task<ManagedTokenRecord?> GetManagedTokenAsync(string tokenId, CancellationToken ct) => Guarded().GetManagedTokenAsync(tokenId, ct);
    public Task<bool> TryChangeManagedTokenStateAsync(string tokenId, string expectedState, string newState, CancellationToken ct) =>
        Guarded().TryChangeManagedTokenStateAsync(tokenId, expectedState, newState, ct);
    public Task<IReadOnlyList<ManagedTokenRecord>> GetManagedTokensAsync(CancellationToken ct) => Guarded().GetManagedTokensAsync(ct);
    public Task<byte[]> GetFingerprintKeyAsync(CancellationToken ct) => Guarded().GetFingerprintKeyAsync(ct);
    public Task<IReadOnlyDictionary<string, string>> GetSecretFingerprintsAsync(string accountId, string target, CancellationToken ct) =>
        Guarded().GetSecretFingerprintsAsync(accountId, target, ct);
    public Task SetSecretFingerprintsAsync(string accountId, string target, IReadOnlyDictionary<string, string?> fingerprints, CancellationToken ct) =>
        Guarded().SetSecretFingerprintsAsync(accountId, target, fingerprints, ct);

    public void Dispose() => _disposed = true;

    public override string ToString() => $"Sqlite ledger {Location}";

    private LedgerCore Guarded() => _disposed ? throw new ObjectDisposedException(nameof(SqliteLedger)) : _core;

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> RunAsync(
        string sql, IReadOnlyList<object?> parameters, CancellationToken ct)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            // WAL is a property of the file; asking again when it is already WAL is a no-op.
            Pragma(connection, "PRAGMA journal_mode = WAL");

            using var command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters.Count; i++)
                command.Parameters.AddWithValue("?" + (i + 1), parameters[i] ?? DBNull.Value);

            var rows = new List<IReadOnlyDictionary<string, object?>>();
            using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return rows;
        }
        catch (SqliteException e)
        {
            throw new LedgerException($"The SQLite ledger at '{Location}' failed: {e.Message}", new[] { e.SqliteErrorCode }, null, e);
        }
    }

    private async Task RunBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            Pragma(connection, "PRAGMA journal_mode = WAL");
            // Batches hold derived records (secret fingerprints): in WAL mode NORMAL skips the fsync per commit and
            // stays consistent; a power cut may lose the last commits, which only means a secret is written again.
            Pragma(connection, "PRAGMA synchronous = NORMAL");
            using var transaction = connection.BeginTransaction();
            foreach (var statement in statements)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement.Sql;
                for (var i = 0; i < statement.Parameters.Count; i++)
                    command.Parameters.AddWithValue("?" + (i + 1), statement.Parameters[i] ?? DBNull.Value);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new LedgerException($"The SQLite ledger at '{Location}' failed: {e.Message}", new[] { e.SqliteErrorCode }, null, e);
        }
    }

    private static void Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
