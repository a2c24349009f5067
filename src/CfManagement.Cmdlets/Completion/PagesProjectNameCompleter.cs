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
    /// <summary>Completes Pages project names (-Name, -Project) from the session being used; nothing when not connected or without an account.</summary>
    public sealed class PagesProjectNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return Projects(CompletionSession.From(fakeBoundParameters))
                .Where(p => pattern.IsMatch(p.Name))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.SourceType == null ? "direct upload" : $"{p.SourceType} {p.Owner}/{p.Repository}"))
                .ToList();
        }

        private static IReadOnlyList<CfPagesProject> Projects(Sessions.CfSession? session)
        {
            if (session == null || session.IsDisposed || string.IsNullOrEmpty(session.AccountId)) return new List<CfPagesProject>();
            try
            {
                using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                {
                    var projects = new List<CfPagesProject>();
                    for (var page = 1; page <= 10; page++)
                    {
                        var result = session.Pages.ListPageAsync(session.AccountId!, page, budget.Token).GetAwaiter().GetResult();
                        projects.AddRange(result.Items);
                        if (!result.HasMore) break;
                    }
                    return projects;
                }
            }
            catch (Exception)
            {
                return new List<CfPagesProject>(); // completion must never throw at the user
            }
        }
    }
}
