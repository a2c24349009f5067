using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// The ledger behaviour both engines share: validation, the secret guard, the SQL and the row mapping.
/// The engines differ only in how a statement is run (<see cref="SqlRunner"/>).
/// </summary>
internal sealed class LedgerCore
{
    private readonly SqlRunner _run;
    private readonly SqlBatchRunner _runBatch;
    private volatile bool _initialized;

    /// <param name="runBatch">Runs statements in one transaction; without it they run one by one.</param>
    public LedgerCore(SqlRunner run, SqlBatchRunner? runBatch = null)
    {
        _run = run;
        _runBatch = runBatch ?? (async (statements, ct) =>
        {
            foreach (var statement in statements) await run(statement.Sql, statement.Parameters, ct).ConfigureAwait(false);
        });
    }

    public async Task InitializeAsync(CancellationToken ct)
    {
        // One transaction where the engine has them (SQLite): every new session initialises its ledger inside the
        // first timed command, and one commit is cheaper than one per statement. D1 runs them one by one, as before.
        var version = LedgerSchema.Version.ToString(CultureInfo.InvariantCulture);
        var statements = LedgerSchema.CreateStatements.Select(sql => new SqlStatement(sql, Array.Empty<object?>())).ToList();
        statements.Add(new SqlStatement(LedgerSql.InsertSchemaVersion, new object?[] { LedgerSchema.SchemaVersionKey, version }));
        await _runBatch(statements, ct).ConfigureAwait(false);

        // A newer module may have migrated this store; writing old-shaped rows into it could lose data.
        var rows = await _run(LedgerSql.SelectSchemaVersion, new object?[] { LedgerSchema.SchemaVersionKey }, ct).ConfigureAwait(false);
        var stored = rows.Count == 0 ? 0 : SqlValues.Integer(rows[0]["value"], "value");
        if (stored > LedgerSchema.Version)
            throw new LedgerException($"The ledger schema is version {stored}, newer than this module understands ({LedgerSchema.Version}). Update CfManagement.");

        _initialized = true;
    }

    public async Task<LedgerEntry> AppendAsync(LedgerEntry entry, CancellationToken ct)
    {
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        if (string.IsNullOrWhiteSpace(entry.OperationId)) throw new ArgumentException("OperationId is required.", nameof(entry));
        if (string.IsNullOrWhiteSpace(entry.Action)) throw new ArgumentException("Action is required.", nameof(entry));
        SecretGuard.EnsureNoSecret(entry);
        await EnsureInitializedAsync(ct).ConfigureAwait(false);

        var rows = await _run(LedgerSql.InsertEntry, LedgerRowMapper.EntryParameters(entry), ct).ConfigureAwait(false);
        if (rows.Count != 1)
            throw new LedgerException("The ledger did not return the sequence of the appended entry.");
        return entry.WithSequence(SqlValues.Integer(rows[0]["seq"], "seq"));
    }

    public async Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken ct)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var statement = LedgerSql.SelectEntries(query);
        var rows = await _run(statement.Sql, statement.Parameters, ct).ConfigureAwait(false);
        return rows.Select(LedgerRowMapper.ToEntry).ToList();
    }

    public async Task UpsertManagedTokenAsync(ManagedTokenRecord record, CancellationToken ct)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (string.IsNullOrWhiteSpace(record.TokenId)) throw new ArgumentException("TokenId is required.", nameof(record));
        SecretGuard.EnsureNoSecret(record);
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        await _run(LedgerSql.UpsertManagedToken, LedgerRowMapper.RecordParameters(record), ct).ConfigureAwait(false);
    }

    public async Task<ManagedTokenRecord?> GetManagedTokenAsync(string tokenId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tokenId)) throw new ArgumentException("A token id is required.", nameof(tokenId));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.SelectManagedToken, new object?[] { tokenId }, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : LedgerRowMapper.ToRecord(rows[0]);
    }

    public async Task<bool> TryChangeManagedTokenStateAsync(string tokenId, string expectedState, string newState, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tokenId)) throw new ArgumentException("A token id is required.", nameof(tokenId));
        if (string.IsNullOrWhiteSpace(newState)) throw new ArgumentException("A state is required.", nameof(newState));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.ChangeManagedTokenState, new object?[] { tokenId, expectedState, newState }, ct).ConfigureAwait(false);
        return rows.Count == 1;
    }

    public async Task<IReadOnlyList<ManagedTokenRecord>> GetManagedTokensAsync(CancellationToken ct)
    {
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.SelectManagedTokens, Array.Empty<object?>(), ct).ConfigureAwait(false);
        return rows.Select(LedgerRowMapper.ToRecord).ToList();
    }

    private const string FingerprintKeyName = "secret_fingerprint_key";

    public async Task<byte[]> GetFingerprintKeyAsync(CancellationToken ct)
    {
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        // Read first: the key exists after the first write, and a read costs no commit.
        var rows = await _run(LedgerSql.SelectFingerprintKey, new object?[] { FingerprintKeyName }, ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            var fresh = new byte[32];
            using (var rng = System.Security.Cryptography.RandomNumberGenerator.Create()) rng.GetBytes(fresh);
            await _run(LedgerSql.InsertFingerprintKey, new object?[] { FingerprintKeyName, Convert.ToBase64String(fresh) }, ct).ConfigureAwait(false);
            rows = await _run(LedgerSql.SelectFingerprintKey, new object?[] { FingerprintKeyName }, ct).ConfigureAwait(false);
        }
        if (rows.Count != 1 || !(rows[0]["value"] is string stored))
            throw new LedgerException("The ledger did not return its fingerprint key.");
        return Convert.FromBase64String(stored);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetSecretFingerprintsAsync(string accountId, string target, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("A target is required.", nameof(target));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.SelectSecretFingerprints, new object?[] { accountId ?? "", target }, ct).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows) result[(string)row["name"]!] = (string)row["fingerprint"]!;
        return result;
    }

    public async Task SetSecretFingerprintsAsync(string accountId, string target, IReadOnlyDictionary<string, string?> fingerprints, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("A target is required.", nameof(target));
        if (fingerprints is null) throw new ArgumentNullException(nameof(fingerprints));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var now = SqlValues.FormatTime(DateTimeOffset.UtcNow);
        var set = fingerprints.Where(p => p.Value != null).ToList();
        var forget = fingerprints.Where(p => p.Value == null).Select(p => p.Key).ToList();
        var statements = new List<SqlStatement>();
        for (var i = 0; i < set.Count; i += LedgerSql.FingerprintRowsPerStatement)
        {
            var chunk = set.Skip(i).Take(LedgerSql.FingerprintRowsPerStatement).ToList();
            var parameters = new List<object?>();
            foreach (var pair in chunk) parameters.AddRange(new object?[] { accountId ?? "", target, pair.Key, pair.Value, now });
            statements.Add(new SqlStatement(LedgerSql.UpsertSecretFingerprints(chunk.Count), parameters));
        }
        const int namesPerDelete = 98; // 2 fixed parameters + names, within D1's 100
        for (var i = 0; i < forget.Count; i += namesPerDelete)
        {
            var chunk = forget.Skip(i).Take(namesPerDelete).ToList();
            var parameters = new List<object?> { accountId ?? "", target };
            parameters.AddRange(chunk);
            statements.Add(new SqlStatement(LedgerSql.DeleteSecretFingerprints(chunk.Count), parameters));
        }
        if (statements.Count > 0) await _runBatch(statements, ct).ConfigureAwait(false);
    }

    public async Task<TokenConsumerRecord> RegisterTokenConsumerAsync(TokenConsumerRecord consumer, CancellationToken ct)
    {
        if (consumer is null) throw new ArgumentNullException(nameof(consumer));
        if (string.IsNullOrWhiteSpace(consumer.Credential)) throw new ArgumentException("Credential is required.", nameof(consumer));
        if (string.IsNullOrWhiteSpace(consumer.Destination)) throw new ArgumentException("Destination is required.", nameof(consumer));
        if (string.IsNullOrWhiteSpace(consumer.Kind)) throw new ArgumentException("Kind is required.", nameof(consumer));
        SecretGuard.EnsureNoSecret(consumer);
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.UpsertTokenConsumer, LedgerRowMapper.ConsumerParameters(consumer), ct).ConfigureAwait(false);
        if (rows.Count != 1)
            throw new LedgerException("The ledger did not return the registered consumer.");
        return LedgerRowMapper.ToConsumer(rows[0]);
    }

    public async Task<IReadOnlyList<TokenConsumerRecord>> GetTokenConsumersAsync(string? credentialWildcard, CancellationToken ct)
    {
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var statement = LedgerSql.SelectTokenConsumers(credentialWildcard);
        var rows = await _run(statement.Sql, statement.Parameters, ct).ConfigureAwait(false);
        return rows.Select(LedgerRowMapper.ToConsumer).ToList();
    }

    public async Task<bool> UnregisterTokenConsumerAsync(string credential, string destination, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(credential)) throw new ArgumentException("A credential is required.", nameof(credential));
        if (string.IsNullOrWhiteSpace(destination)) throw new ArgumentException("A destination is required.", nameof(destination));
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        var rows = await _run(LedgerSql.DeleteTokenConsumer, new object?[] { credential, destination }, ct).ConfigureAwait(false);
        return rows.Count > 0;
    }

    // Callers are meant to call InitializeAsync, but forgetting it should not turn into "no such table" later.
    private Task EnsureInitializedAsync(CancellationToken ct) =>
        _initialized ? Task.CompletedTask : InitializeAsync(ct);
}
