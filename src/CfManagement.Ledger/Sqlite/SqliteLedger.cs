using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace CfManagement.Ledger;

/// <summary>
/// The default ledger: a SQLite file on this machine (see <see cref="LedgerPaths.DefaultSqlitePath"/>), in WAL mode
/// with a busy timeout, so two runbooks (or two PowerShell sessions) on one machine can share the file: readers never
/// block, a writer waits for the other.
/// </summary>
/// <remarks>
/// One connection is held open while calls keep coming, and closed by <see cref="Release"/> (the cmdlets call it when a
/// command ends), after <see cref="IdleCloseMilliseconds"/> without a call, or on Dispose. Opening per call cost a put ~10-20 ms: closing SQLite's last connection to a file checkpoints
/// the WAL into the database (an fsync) and deletes the -wal and -shm files, which the next open creates again; a
/// secret command writes a fingerprint batch per request, so that was paid per request (benchmarks e and f in the
/// README). Holding an idle connection blocks no other process (no transaction stays open); it is still let go at the
/// end of each command, because a second SQLite library in the same process (another module reading the ledger)
/// shares POSIX locks with ours without knowing of our connection: closing its own would checkpoint and delete the WAL
/// our connection still writes to. If the file is deleted
/// or moved while the connection is held, the next call notices and opens the path again, as a per-call open would.
/// </remarks>
public sealed class SqliteLedger : ILedger
{
    // How long a writer waits for another process's write to finish before failing with SQLITE_BUSY.
    private const int BusyTimeoutMilliseconds = 15000;
    // Long enough to span the gaps of a rate-limited run of puts, short enough that the file is soon free again.
    private const int IdleCloseMilliseconds = 1000;

    private readonly string _connectionString;
    private readonly LedgerCore _core;
    // Serialises the calls on the one connection (a SqliteConnection is not thread-safe) and the idle close.
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
    private readonly Timer _idleClose;
    private SqliteConnection? _connection;
    private volatile bool _disposed;

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
            // No pooling: the connection this type holds is closed by it (idle or Dispose), after which nothing keeps
            // the file open, so the file can be moved or deleted without clearing a pool.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _core = new LedgerCore(RunAsync, RunBatchAsync);
        _idleClose = new Timer(_ => CloseIfIdle(), null, Timeout.Infinite, Timeout.Infinite);
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
    public Task<TokenConsumerRecord> RegisterTokenConsumerAsync(TokenConsumerRecord consumer, CancellationToken ct) =>
        Guarded().RegisterTokenConsumerAsync(consumer, ct);
    public Task<IReadOnlyList<TokenConsumerRecord>> GetTokenConsumersAsync(string? credentialWildcard, CancellationToken ct) =>
        Guarded().GetTokenConsumersAsync(credentialWildcard, ct);
    public Task<bool> UnregisterTokenConsumerAsync(string credential, string destination, CancellationToken ct) =>
        Guarded().UnregisterTokenConsumerAsync(credential, destination, ct);

    /// <summary>
    /// Closes the held connection now (the work that needed it is over), which checkpoints the WAL into the file; the
    /// next call opens the file again. The cmdlets call it when a command ends.
    /// </summary>
    public void Release()
    {
        _gate.Wait();
        try
        {
            CloseConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _gate.Wait();
        try
        {
            _idleClose.Dispose();
            CloseConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    public override string ToString() => $"Sqlite ledger {Location}";

    private LedgerCore Guarded() => _disposed ? throw new ObjectDisposedException(nameof(SqliteLedger)) : _core;

    private Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> RunAsync(
        string sql, IReadOnlyList<object?> parameters, CancellationToken ct) =>
        WithConnectionAsync<IReadOnlyList<IReadOnlyDictionary<string, object?>>>(async connection =>
        {
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
        }, ct);

    private Task RunBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct) =>
        WithConnectionAsync<object?>(async connection =>
        {
            // Batches hold derived records (secret fingerprints): in WAL mode NORMAL skips the fsync per commit and
            // stays consistent; a power cut may lose the last commits, which only means a secret is written again.
            // Single statements (the deployment log) keep FULL, the connection's setting outside a batch.
            Pragma(connection, "PRAGMA synchronous = NORMAL");
            try
            {
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
            finally
            {
                Pragma(connection, "PRAGMA synchronous = FULL");
            }
            return null;
        }, ct);

    /// <summary>Runs <paramref name="work"/> on the held connection (opened when there is none), one call at a time.</summary>
    private async Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_disposed) throw new ObjectDisposedException(nameof(SqliteLedger));
            _idleClose.Change(Timeout.Infinite, Timeout.Infinite);
            // Deleted or moved while held: the held connection would write to a file nobody sees any more.
            if (_connection != null && !File.Exists(Location)) CloseConnection();
            if (_connection == null)
            {
                var connection = new SqliteConnection(_connectionString);
                try
                {
                    await connection.OpenAsync(ct).ConfigureAwait(false);
                    Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
                    // WAL is a property of the file; asking again when it is already WAL is a no-op.
                    Pragma(connection, "PRAGMA journal_mode = WAL");
                    Pragma(connection, "PRAGMA synchronous = FULL");
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
                _connection = connection;
            }
            return await work(_connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            // A failed call (busy, I/O error) starts the next one on a fresh connection.
            CloseConnection();
            throw new LedgerException($"The SQLite ledger at '{Location}' failed: {e.Message}", new[] { e.SqliteErrorCode }, null, e);
        }
        finally
        {
            if (!_disposed && _connection != null) _idleClose.Change(IdleCloseMilliseconds, Timeout.Infinite);
            _gate.Release();
        }
    }

    private void CloseIfIdle()
    {
        // In use: that call re-arms the timer when it ends.
        if (!_gate.Wait(0)) return;
        try
        {
            CloseConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CloseConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static void Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
