using CfManagement.Ledger;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Ledger;

/// <summary>The ledger contract on a SQLite file in a temp folder per test (nested, to prove the folder is created).</summary>
public sealed class SqliteLedgerContractTests : LedgerContractTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cfledger-" + Guid.NewGuid().ToString("N"));
    private string? _mainPath;

    protected override string ExpectedEngine => "Sqlite";

    protected override Task<ILedger> CreateLedgerAsync()
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N"), "nested", "ledger.db");
        _mainPath ??= path;
        return Task.FromResult<ILedger>(new SqliteLedger(path));
    }

    protected override ILedger OpenSecondInstance() => new SqliteLedger(_mainPath!);

    [Fact]
    public async Task The_file_is_in_WAL_mode_so_two_processes_can_share_it()
    {
        await Ledger.AppendAsync(new LedgerEntry { OperationId = "op", Action = "mint", Timestamp = T0 }, Ct);

        using var connection = new SqliteConnection($"Data Source={_mainPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
        Assert.Equal(Path.GetFullPath(_mainPath!), Ledger.Location);
    }

    [Fact]
    public async Task A_ledger_created_before_the_consumer_map_gets_the_table_without_a_version_bump()
    {
        // The version-1 tables as a module without the consumer map created them, and one entry in them.
        var path = Path.Combine(_root, "old", "ledger.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);" +
                "INSERT INTO ledger_meta VALUES ('schema_version', '1');" +
                "CREATE TABLE ledger_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, operation_id TEXT NOT NULL, timestamp TEXT NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL, token_id TEXT, token_name TEXT, scope TEXT, account_id TEXT, purpose TEXT, destination TEXT, actor TEXT, detail TEXT, error_id TEXT, expires_on TEXT);" +
                "INSERT INTO ledger_entries (operation_id, timestamp, kind, action, outcome) VALUES ('op', '2025-03-01T10:00:00.0000000+00:00', 'Rotation', 'roll', 'Succeeded');";
            command.ExecuteNonQuery();
        }

        using var ledger = new SqliteLedger(path);
        await ledger.InitializeAsync(Ct);
        await ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "external:x", "External"), Ct);
        Assert.Single(await ledger.GetTokenConsumersAsync(null, Ct));
        Assert.Single(await ledger.QueryAsync(new LedgerQuery(), Ct));
        ledger.Release();

        using var check = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "SELECT value FROM ledger_meta WHERE key = 'schema_version'";
        Assert.Equal("1", version.ExecuteScalar() as string);
    }

    protected override Task CleanupAsync()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
