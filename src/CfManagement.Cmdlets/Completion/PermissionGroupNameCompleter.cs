using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Model;

namespace CfManagement.Completion
{
    /// <summary>Completes permission-group names from the live session's catalogue, narrowed by -Scope when given.</summary>
    public sealed class PermissionGroupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var scope = fakeBoundParameters != null && fakeBoundParameters.Contains("Scope")
                ? PermissionScopes.Normalize(fakeBoundParameters["Scope"]?.ToString() ?? "")
                : null;
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return CompletionSession.PermissionGroups(CompletionSession.From(fakeBoundParameters!))
                .Where(g => scope == null || g.Scopes.Contains(scope, StringComparer.OrdinalIgnoreCase))
                .Where(g => pattern.IsMatch(g.Name))
                .GroupBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new CompletionResult(CompletionSession.Quote(g.Key), g.Key, CompletionResultType.ParameterValue,
                    string.Join("; ", g.Select(x => $"{x.Id} [{string.Join(",", x.ScopeNames)}]"))));
        }
    }
}
