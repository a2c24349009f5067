using System.Collections.Generic;

namespace CfManagement.Ledger;

/// <summary>
/// The one schema both engines create. Each DDL statement is sent on its own (D1's /query returns one result per
/// statement and our transport contract is one statement per call). Everything is IF NOT EXISTS so initializing
/// is idempotent and safe when two runbooks start at once.
/// </summary>
/// <remarks>
/// Timestamps are ISO-8601 UTC text ("o" format, fixed width), so text ordering is time ordering on both engines.
/// Enums are stored by name so the data stays readable in the D1 console.
/// </remarks>
internal static class LedgerSchema
{
    /// <summary>Bump when the schema changes, and add the migration to <see cref="CreateStatements"/>.</summary>
    public const int Version = 1;

    public const string SchemaVersionKey = "schema_version";

    public static readonly IReadOnlyList<string> CreateStatements = new[]
    {
        @"CREATE TABLE IF NOT EXISTS ledger_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
)",
        // AUTOINCREMENT so a sequence number is never reused, even if the newest row were ever deleted.
        @"CREATE TABLE IF NOT EXISTS ledger_entries (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    action       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    token_id     TEXT,
    token_name   TEXT,
    scope        TEXT,
    account_id   TEXT,
    purpose      TEXT,
    destination  TEXT,
    actor        TEXT,
    detail       TEXT,
    error_id     TEXT,
    expires_on   TEXT
)",
        "CREATE INDEX IF NOT EXISTS ix_ledger_entries_token_id ON ledger_entries (token_id)",
        "CREATE INDEX IF NOT EXISTS ix_ledger_entries_operation_id ON ledger_entries (operation_id)",
        "CREATE INDEX IF NOT EXISTS ix_ledger_entries_timestamp ON ledger_entries (timestamp)",
        // destinations is a JSON array of strings: a token is usually stored in one or two places, and they are
        // only ever read back together with the record.
        @"CREATE TABLE IF NOT EXISTS managed_tokens (
    token_id        TEXT PRIMARY KEY NOT NULL,
    token_name      TEXT NOT NULL,
    scope           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    account_id      TEXT,
    created_on      TEXT NOT NULL,
    expires_on      TEXT,
    destinations    TEXT NOT NULL,
    state           TEXT NOT NULL,
    last_rotated_on TEXT,
    replaced_by     TEXT
)",
        // What the secret commands last wrote, as a keyed fingerprint (SecretFingerprint), never the value: Cloudflare
        // never returns a secret's value, so this is how a repeated Set or Sync knows a secret is unchanged. Additive
        // (a module that does not know the table ignores it), so the schema version stays.
        @"CREATE TABLE IF NOT EXISTS secret_fingerprints (
    account_id  TEXT NOT NULL,
    target      TEXT NOT NULL,
    name        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    updated_on  TEXT NOT NULL,
    PRIMARY KEY (account_id, target, name)
)",
        // The consumer map (Register-/Get-/Unregister-CfTokenConsumer): which credential, by its vault secret name, is
        // used where, so rotation and revoke know what to update. Names and places only, never values. Additive like
        // secret_fingerprints: a new table that an older module never reads and whose absence a newer one repairs on
        // initialise (IF NOT EXISTS), so the schema version stays (bumping it would lock older modules out of a ledger
        // whose existing tables they still read and write correctly). The credential compares case-insensitively, as
        // vault secret names do; the destination exactly (Worker bindings and environment variables are case-sensitive).
        // client_id_name: where an Access service token's client id goes beside the client secret (null: the default rule).
        @"CREATE TABLE IF NOT EXISTS token_consumers (
    credential     TEXT NOT NULL COLLATE NOCASE,
    destination    TEXT NOT NULL,
    kind           TEXT NOT NULL,
    description    TEXT,
    client_id_name TEXT,
    registered_on  TEXT NOT NULL,
    registered_by  TEXT,
    PRIMARY KEY (credential, destination)
)",
    };
}
