using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// The ledger in a Cloudflare D1 database, for runbooks that run on many machines (Automation sandboxes, CI runners)
/// and need one shared history. Same schema and SQL as <see cref="SqliteLedger"/>; D1 is SQLite.
/// </summary>
public sealed class D1Ledger : ILedger
{
    private readonly LedgerCore _core;
    private bool _disposed;

    /// <param name="transport">Runs statements on the database; not disposed by the ledger (the caller owns it).</param>
    public D1Ledger(ID1Transport transport, string databaseId)
    {
        if (transport is null) throw new ArgumentNullException(nameof(transport));
        if (string.IsNullOrWhiteSpace(databaseId)) throw new ArgumentException("A D1 database id is required.", nameof(databaseId));
        DatabaseId = databaseId;
        _core = new LedgerCore(transport.QueryAsync);
    }

    public string Engine => "D1";
    public string Location => "d1:" + DatabaseId;
    public string DatabaseId { get; }

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

    // The transport and its HttpClient belong to the caller (usually the session's shared client).
    public void Dispose() => _disposed = true;

    public override string ToString() => $"D1 ledger {Location}";

    private LedgerCore Guarded() => _disposed ? throw new ObjectDisposedException(nameof(D1Ledger)) : _core;
}
