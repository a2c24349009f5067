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
    /// <summary>Completes Secrets Store names (-Store, -SecretsStore, Get-CfSecretsStore -Name) from the session; nothing when not connected.</summary>
    public sealed class SecretsStoreNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return Stores(fakeBoundParameters)
                .Where(s => pattern.IsMatch(s.Name))
                .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                .Select(s => new CompletionResult(CompletionSession.Quote(s.Name), s.Name, CompletionResultType.ParameterValue, s.Id))
                .ToList();
        }

        private static IReadOnlyList<CfSecretsStore> Stores(IDictionary fakeBoundParameters)
        {
            var session = CompletionSession.From(fakeBoundParameters);
            if (session == null || session.IsDisposed || string.IsNullOrEmpty(session.AccountId)) return new List<CfSecretsStore>();
            try
            {
                using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                    return session.SecretsStore.ListStoresAsync(session.AccountId!, budget.Token).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                return new List<CfSecretsStore>(); // completion must never throw at the user
            }
        }
    }
}
