using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using CfManagement.Ledger;

namespace CfManagement.Completion
{
    /// <summary>
    /// Completes -Credential of the consumer commands with the credentials registered in the consumer map: the ledger the
    /// line names (-LedgerPath / -LedgerDatabaseId), else the session's, else CFMANAGEMENT_LEDGER_D1_DATABASE_ID /
    /// CFMANAGEMENT_LEDGER_PATH / the per-user file. Never creates a ledger file; a D1 ledger needs a connected session.
    /// Nothing on any failure, within a few seconds.
    /// </summary>
    public sealed class TokenConsumerCredentialCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var session = CompletionSession.From(fakeBoundParameters);
                var ledgerPath = Bound(fakeBoundParameters, "LedgerPath");
                var databaseId = Bound(fakeBoundParameters, "LedgerDatabaseId")
                                 ?? (ledgerPath == null ? session?.LedgerDatabaseId ?? Environment.GetEnvironmentVariable(LedgerAccess.D1Variable) : null);
                if (string.IsNullOrWhiteSpace(databaseId)) databaseId = null;
                var path = databaseId == null ? ledgerPath ?? session?.LedgerPath ?? LedgerPaths.DefaultSqlitePath() : null;
                if (path != null && !System.IO.File.Exists(path)) return Enumerable.Empty<CompletionResult>();
                // The ledger a command of this session opened already (initialised, and for D1 no schema round trips);
                // else a short-lived one of our own.
                var cached = session != null && !session.IsDisposed ? LedgerAccess.Cached(session, databaseId, path) : null;
                ILedger? own = null;
                if (cached == null)
                {
                    if (databaseId != null)
                    {
                        if (session == null || session.IsDisposed || string.IsNullOrEmpty(session.AccountId)) return Enumerable.Empty<CompletionResult>();
                        own = new D1Ledger(new D1HttpTransport(session.Client.Http, session.AccountId!, databaseId), databaseId);
                    }
                    else
                    {
                        own = new SqliteLedger(path!);
                    }
                }
                var ledger = cached ?? own!;
                using (own)
                using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
                {
                    var word = CompletionSession.Unquote(wordToComplete);
                    var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
                    return ledger.GetTokenConsumersAsync(null, budget.Token).GetAwaiter().GetResult()
                        .GroupBy(c => c.Credential, StringComparer.OrdinalIgnoreCase)
                        .Where(g => pattern.IsMatch(g.Key))
                        .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                        .Select(g => new CompletionResult(CompletionSession.Quote(g.Key), g.Key, CompletionResultType.ParameterValue,
                            $"{g.Key}: {string.Join(", ", g.Select(c => c.Destination))}"))
                        .ToList();
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // completion must never throw at the user
            }
        }

        private static string? Bound(IDictionary parameters, string name)
        {
            var value = parameters != null && parameters.Contains(name) ? parameters[name] : null;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value as string;
        }
    }
}
