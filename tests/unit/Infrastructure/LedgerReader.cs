using CfManagement.Ledger;

namespace CfManagement.Tests.Infrastructure;

/// <summary>Reads a test's SQLite ledger with the ledger library itself.</summary>
public static class LedgerReader
{
    public static IReadOnlyList<LedgerEntry> Entries(string path, LedgerQuery? query = null)
    {
        using var ledger = new SqliteLedger(path);
        return ledger.QueryAsync(query ?? new LedgerQuery(), CancellationToken.None).GetAwaiter().GetResult();
    }

    public static IReadOnlyList<ManagedTokenRecord> Managed(string path)
    {
        using var ledger = new SqliteLedger(path);
        return ledger.GetManagedTokensAsync(CancellationToken.None).GetAwaiter().GetResult();
    }
}
