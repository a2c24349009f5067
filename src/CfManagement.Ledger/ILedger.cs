using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// A store of ledger entries and managed-token records. Both engines (SQLite file, Cloudflare D1) run the same SQL,
/// so they behave the same; failures surface as <see cref="LedgerException"/>, credential-like input as ArgumentException.
/// </summary>
public interface ILedger : IDisposable
{
    /// <summary>"Sqlite" or "D1".</summary>
    string Engine { get; }
    /// <summary>The file path, or "d1:&lt;databaseId&gt;".</summary>
    string Location { get; }

    /// <summary>Creates the schema if missing and records its version; safe to call any number of times.</summary>
    Task InitializeAsync(CancellationToken ct);
    /// <summary>Appends the entry and returns a copy with <see cref="LedgerEntry.Sequence"/> set.</summary>
    Task<LedgerEntry> AppendAsync(LedgerEntry entry, CancellationToken ct);
    /// <summary>Matching entries ordered by sequence, oldest first.</summary>
    Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken ct);
    /// <summary>Inserts the record, or replaces the one with the same token id.</summary>
    Task UpsertManagedTokenAsync(ManagedTokenRecord record, CancellationToken ct);
    Task<ManagedTokenRecord?> GetManagedTokenAsync(string tokenId, CancellationToken ct);
    /// <summary>
    /// Moves the record from <paramref name="expectedState"/> to <paramref name="newState"/> in one statement; false
    /// when its state was no longer the expected one (another runner got there first) or it does not exist.
    /// </summary>
    Task<bool> TryChangeManagedTokenStateAsync(string tokenId, string expectedState, string newState, CancellationToken ct);
    /// <summary>All records, oldest first.</summary>
    Task<IReadOnlyList<ManagedTokenRecord>> GetManagedTokensAsync(CancellationToken ct);

    /// <summary>This ledger's random fingerprint key (created on first use; see SecretFingerprint in the cmdlets).</summary>
    Task<byte[]> GetFingerprintKeyAsync(CancellationToken ct);
    /// <summary>The recorded fingerprints of one target's secrets, name → fingerprint.</summary>
    Task<IReadOnlyDictionary<string, string>> GetSecretFingerprintsAsync(string accountId, string target, CancellationToken ct);
    /// <summary>Records fingerprints (name → fingerprint; null forgets the name, after a delete).</summary>
    Task SetSecretFingerprintsAsync(string accountId, string target, IReadOnlyDictionary<string, string?> fingerprints, CancellationToken ct);

    /// <summary>
    /// Puts a consumer on the consumer map, or updates the one registered for the same credential and destination
    /// (credential compared case-insensitively): the kind is replaced, the description and client id name only when
    /// given, and the first RegisteredOn/RegisteredBy are kept. Returns the row as stored.
    /// </summary>
    Task<TokenConsumerRecord> RegisterTokenConsumerAsync(TokenConsumerRecord consumer, CancellationToken ct);
    /// <summary>Every consumer, or those whose credential matches a PowerShell wildcard (case-insensitive), by credential then destination.</summary>
    Task<IReadOnlyList<TokenConsumerRecord>> GetTokenConsumersAsync(string? credentialWildcard, CancellationToken ct);
    /// <summary>Removes one consumer; false when that credential had no such destination.</summary>
    Task<bool> UnregisterTokenConsumerAsync(string credential, string destination, CancellationToken ct);
}
