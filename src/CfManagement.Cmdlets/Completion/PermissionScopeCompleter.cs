using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Model;

namespace CfManagement.Completion
{
    /// <summary>Completes -Scope with the short scope names.</summary>
    public sealed class PermissionScopeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return PermissionScopes.ShortNames
                .Where(n => n.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, PermissionScopes.Normalize(n)));
        }
    }
}
