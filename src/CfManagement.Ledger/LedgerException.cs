using System;
using System.Collections.Generic;

namespace CfManagement.Ledger;

/// <summary>
/// The ledger store failed: D1 answered with an error (its codes and HTTP status kept), could not be reached,
/// or SQLite reported an error (its result code in <see cref="Codes"/>). Messages never carry SQL parameters.
/// </summary>
public sealed class LedgerException : Exception
{
    public LedgerException(string message, IReadOnlyList<int>? codes = null, int? httpStatus = null, Exception? inner = null)
        : base(message, inner)
    {
        Codes = codes ?? Array.Empty<int>();
        HttpStatus = httpStatus;
    }

    /// <summary>Cloudflare error codes (e.g. 7500 for a D1 SQL error), or the SQLite result code.</summary>
    public IReadOnlyList<int> Codes { get; }
    /// <summary>The HTTP status of a failed D1 call; null for SQLite and for network failures.</summary>
    public int? HttpStatus { get; }
}
