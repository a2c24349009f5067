using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// Runs one SQL statement on a D1 database and returns its rows (column name to value: string, long, double,
/// bool or null). An interface so the engine can route it through its own rate-limited client, and tests can fake it.
/// </summary>
public interface ID1Transport
{
    Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken ct);
}
