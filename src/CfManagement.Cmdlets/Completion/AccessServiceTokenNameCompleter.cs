using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using CfManagement.Model;

namespace CfManagement.Completion
{
    /// <summary>Completes Access service token names (-Name of the *-CfAccessServiceToken commands) from the session's account; nothing when not connected.</summary>
    public sealed class AccessServiceTokenNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return Tokens(fakeBoundParameters)
                .Where(t => pattern.IsMatch(t.Name))
                .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .Select(t => new CompletionResult(CompletionSession.Quote(t.Name), t.Name, CompletionResultType.ParameterValue,
                    $"{t.Id}, expires {(t.ExpiresAt.HasValue ? t.ExpiresAt.Value.UtcDateTime.ToString("yyyy-MM-dd") : "never")}"))
                .ToList();
        }

        private static IReadOnlyList<CfAccessServiceToken> Tokens(IDictionary fakeBoundParameters)
        {
            var session = CompletionSession.From(fakeBoundParameters);
            if (session == null || session.IsDisposed || string.IsNullOrEmpty(session.AccountId)) return new List<CfAccessServiceToken>();
            try
            {
                using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                    return session.AccessServiceTokens.ListAsync(session.AccountId!, null, budget.Token).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                return new List<CfAccessServiceToken>(); // completion must never throw at the user
            }
        }
    }
}
