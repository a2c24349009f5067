using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// Runs one statement with positional parameters and returns its rows as column-name maps. Each engine supplies one;
/// everything above it (<see cref="LedgerCore"/>) is shared.
/// </summary>
internal delegate Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> SqlRunner(
    string sql, IReadOnlyList<object?> parameters, CancellationToken ct);

/// <summary>
/// Runs several statements as one unit (one transaction, one commit) where the engine can: the SQLite file pays one
/// fsync per commit, so a thousand fingerprint rows in fifty single-statement commits would cost seconds.
/// </summary>
internal delegate Task SqlBatchRunner(IReadOnlyList<SqlStatement> statements, CancellationToken ct);
