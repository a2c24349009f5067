using System.Collections.Generic;

namespace CfManagement.Ledger;

/// <summary>One SQL statement with its positional parameters (?1, ?2, ...), ready for either engine.</summary>
internal sealed class SqlStatement
{
    public SqlStatement(string sql, IReadOnlyList<object?> parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    public string Sql { get; }
    /// <summary>Strings, longs, ints or null: the types D1's JSON params and SQLite both take.</summary>
    public IReadOnlyList<object?> Parameters { get; }
}
