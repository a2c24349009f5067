using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Ledger
{
    /// <summary>
    /// Opens the ledger a command should write to: D1 when a database id is given (parameter, session, or
    /// CFMANAGEMENT_LEDGER_D1_DATABASE_ID), else the SQLite file (parameter, CFMANAGEMENT_LEDGER_PATH, or the
    /// per-user default). One opened and initialised instance per session and location.
    /// </summary>
    internal static class LedgerAccess
    {
        public const string D1Variable = "CFMANAGEMENT_LEDGER_D1_DATABASE_ID";

        private static readonly ConditionalWeakTable<CfSession, Dictionary<string, ILedger>> Opened = new ConditionalWeakTable<CfSession, Dictionary<string, ILedger>>();

        /// <summary>Validates the ledger parameters; null when fine.</summary>
        public static ErrorRecord? Validate(string? ledgerPath, string? ledgerDatabaseId)
        {
            if (ledgerDatabaseId != null && !IsD1Id(ledgerDatabaseId))
                return InputValidator.Invalid(ErrorIds.InvalidId, "LedgerDatabaseId", ledgerDatabaseId,
                    $"-LedgerDatabaseId '{ledgerDatabaseId}' is not a D1 database id (a UUID such as 0f2b...-....).", "Pass the uuid shown by 'wrangler d1 list' or the D1 dashboard.");
            if (ledgerPath != null && string.IsNullOrWhiteSpace(ledgerPath))
                return InputValidator.Invalid(ErrorIds.InvalidName, "LedgerPath", ledgerPath, "-LedgerPath must not be empty.", "Pass a file path, or omit it for the per-user default.");
            if (ledgerPath != null && ledgerDatabaseId != null)
                return InputValidator.Invalid(ErrorIds.ConflictingParameters, "LedgerPath", ledgerPath, "-LedgerPath (SQLite) and -LedgerDatabaseId (D1) name two ledgers.", "Pass one of them.");
            if (ledgerPath != null) return CheckSqlitePath(ledgerPath, "LedgerPath");
            return null;
        }

        private static readonly byte[] SqliteHeader = System.Text.Encoding.ASCII.GetBytes("SQLite format 3\0");

        /// <summary>
        /// Null when <paramref name="path"/> can hold the SQLite ledger: a path without NUL or other invalid characters,
        /// not a directory or device, and either absent, empty, or a file that starts with the SQLite header. Checked
        /// before any request, so a typo never costs a change that cannot then be recorded.
        /// </summary>
        public static ErrorRecord? CheckSqlitePath(string path, string parameterName)
        {
            string Shown() => path.Replace("\0", "\\0");
            ErrorRecord Bad(string why, string fix) => InputValidator.Invalid(ErrorIds.InvalidLedgerPath, parameterName, Shown(), $"-{parameterName} '{Shown()}' {why}", fix);
            const string FileFix = "Pass the path of a SQLite ledger file (it is created when absent), or omit it for the per-user default.";

            if (path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || path.IndexOf('\0') >= 0)
                return Bad("contains a NUL or another character no file path can hold.", FileFix);
            string full;
            try { full = System.IO.Path.GetFullPath(path); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException || ex is System.Security.SecurityException)
            {
                return Bad($"is not a usable file path ({ex.Message})", FileFix);
            }
            if (System.IO.Directory.Exists(full))
                return Bad("is a directory, not a ledger file.", $"Name a file inside it, e.g. -{parameterName} '{System.IO.Path.Combine(path, "ledger.db")}'.");
            if (IsDevice(full))
                return Bad("is a device, not a ledger file: nothing written there could be read back.", FileFix);
            if (!System.IO.File.Exists(full)) return null;
            try
            {
                var header = new byte[SqliteHeader.Length];
                int read;
                using (var stream = new System.IO.FileStream(full, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite | System.IO.FileShare.Delete))
                {
                    read = 0;
                    while (read < header.Length)
                    {
                        var n = stream.Read(header, read, header.Length - read);
                        if (n == 0) break;
                        read += n;
                    }
                }
                if (read == 0) return null; // an empty file: SQLite initialises it
                for (var i = 0; i < SqliteHeader.Length; i++)
                    if (i >= read || header[i] != SqliteHeader[i])
                        return Bad("is not a SQLite database (it holds something else); the ledger will not overwrite it.", "Pass the path of the ledger file, or a new file name.");
                return null;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                return Bad($"cannot be read ({ex.Message}).", "Check the file's permissions, or pass another path.");
            }
        }

        private static bool IsDevice(string full)
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                if (full.StartsWith(@"\\.\", StringComparison.Ordinal) || full.StartsWith(@"\\?\", StringComparison.Ordinal)) return true;
                var name = System.IO.Path.GetFileNameWithoutExtension(full).ToUpperInvariant();
                return name == "NUL" || name == "CON" || name == "PRN" || name == "AUX" ||
                       (name.Length == 4 && (name.StartsWith("COM", StringComparison.Ordinal) || name.StartsWith("LPT", StringComparison.Ordinal)) && char.IsDigit(name[3]));
            }
            return full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal) || full.StartsWith("/sys/", StringComparison.Ordinal);
        }

        /// <summary>
        /// For commands that only read the ledger (Get-CfLedger, Get-CfManagedToken): the ledger, or null when the
        /// SQLite file does not exist (nothing is created). An explicit -LedgerPath that does not exist is an error
        /// (LedgerNotFound) so a typo is reported instead of answered with an empty list.
        /// </summary>
        public static ILedger? OpenExisting(CfSessionCmdlet cmdlet, string? ledgerPath, string? ledgerDatabaseId)
        {
            var session = cmdlet.CurrentSession;
            var databaseId = ledgerDatabaseId ?? (ledgerPath == null ? session.LedgerDatabaseId ?? Environment.GetEnvironmentVariable(D1Variable) : null);
            if (string.IsNullOrWhiteSpace(databaseId))
            {
                var path = ledgerPath ?? session.LedgerPath ?? LedgerPaths.DefaultSqlitePath();
                if (!System.IO.File.Exists(path))
                {
                    if (ledgerPath == null) return null;
                    var message = $"-LedgerPath '{ledgerPath}' does not exist; nothing was created.";
                    cmdlet.WriteError(new ErrorRecord(new System.IO.FileNotFoundException(message, ledgerPath), ErrorIds.LedgerNotFound, ErrorCategory.ObjectNotFound, ledgerPath)
                    {
                        ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Check the path (the default ledger is used when -LedgerPath is omitted)." },
                    });
                    return null;
                }
            }
            return Open(cmdlet, ledgerPath, ledgerDatabaseId);
        }

        public static ILedger Open(CfSessionCmdlet cmdlet, string? ledgerPath, string? ledgerDatabaseId)
        {
            var session = cmdlet.CurrentSession;
            var databaseId = ledgerDatabaseId ?? (ledgerPath == null ? session.LedgerDatabaseId ?? Environment.GetEnvironmentVariable(D1Variable) : null);
            if (string.IsNullOrWhiteSpace(databaseId)) databaseId = null;
            var path = databaseId == null ? ledgerPath ?? session.LedgerPath ?? LedgerPaths.DefaultSqlitePath() : null;
            var key = databaseId != null ? "d1:" + databaseId : "sqlite:" + System.IO.Path.GetFullPath(path!);
            var cache = Opened.GetValue(session, _ => new Dictionary<string, ILedger>(StringComparer.OrdinalIgnoreCase));
            lock (cache)
                if (cache.TryGetValue(key, out var existing)) return ReleasedAtEnd(cmdlet, existing);

            ILedger ledger;
            try
            {
                if (databaseId != null)
                {
                    if (string.IsNullOrEmpty(session.AccountId))
                        throw new InvalidOperationException("A D1 ledger lives in an account, but the session has no account id.");
                    ledger = new D1Ledger(new D1HttpTransport(session.Client.Http, session.AccountId!, databaseId), databaseId);
                }
                else
                {
                    if (CheckSqlitePath(path!, ledgerPath != null ? "LedgerPath" : "LedgerPath (from the session or " + LedgerPaths.PathVariable + ")") is ErrorRecord badPath)
                        throw new InvalidOperationException(badPath.ErrorDetails.Message);
                    ledger = new SqliteLedger(path!);
                }
                var opened = ledger;
                cmdlet.Await(ct => opened.InitializeAsync(ct));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                var message = $"The ledger ({key}) cannot be opened: {ex.Message}";
                cmdlet.ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, key)
                {
                    ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = "Nothing was changed. Check -LedgerPath (a writable file) or -LedgerDatabaseId (a D1 database the token can write: 'D1 Write'), then retry.",
                    },
                });
                throw;
            }
            lock (cache) cache[key] = ledger;
            return ReleasedAtEnd(cmdlet, ledger);
        }

        /// <summary>
        /// The ledger a command of this session already opened and initialised at <paramref name="databaseId"/> (D1) or
        /// <paramref name="path"/> (SQLite); null when none was. For completers, which must not pay for opening one.
        /// The caller must not dispose it.
        /// </summary>
        internal static ILedger? Cached(CfSession session, string? databaseId, string? path)
        {
            var key = databaseId != null ? "d1:" + databaseId : "sqlite:" + System.IO.Path.GetFullPath(path!);
            if (!Opened.TryGetValue(session, out var cache)) return null;
            lock (cache) return cache.TryGetValue(key, out var ledger) ? ledger : null;
        }

        /// <summary>
        /// A SQLite ledger holds its file open while a command writes (one connection for all its writes, see
        /// SqliteLedger); when the command is over the file is let go, checkpointed, so nothing holds it between commands
        /// and ledger.db alone is complete (no -wal beside it to copy along).
        /// </summary>
        private static ILedger ReleasedAtEnd(CfSessionCmdlet cmdlet, ILedger ledger)
        {
            if (ledger is SqliteLedger sqlite) cmdlet.AtEnd(sqlite.Release);
            return ledger;
        }

        private static bool IsD1Id(string value) => Guid.TryParse(value, out _) || InputValidator.IsHex32(value);
    }
}
