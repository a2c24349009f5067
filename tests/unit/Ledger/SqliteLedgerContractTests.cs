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

    protected override Task CleanupAsync()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
