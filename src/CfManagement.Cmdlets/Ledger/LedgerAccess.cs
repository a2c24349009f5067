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
            return null;
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
                if (cache.TryGetValue(key, out var existing)) return existing;

            ILedger ledger;
            try
            {
                if (databaseId != null)
                {
                    if (string.IsNullOrEmpty(session.AccountId))
                        throw new InvalidOperationException("A D1 ledger lives in an account, but the session has no account id.");
                    ledger = new D1Ledger(new D1HttpTransport(session.Client.Http, session.AccountId!, databaseId), databaseId);
                }
                else ledger = new SqliteLedger(path!);
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
            return ledger;
        }

        private static bool IsD1Id(string value) => Guid.TryParse(value, out _) || InputValidator.IsHex32(value);
    }
}
