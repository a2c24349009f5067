using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Pages;

namespace CfManagement.Completion
{
    /// <summary>Completes -Environment with Pages' two environments.</summary>
    public sealed class PagesEnvironmentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return PagesInput.Environments
                .Where(e => e.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(e => new CompletionResult(e, e, CompletionResultType.ParameterValue, e == "production" ? "the production branch's deployments" : "every other branch's deployments"));
        }
    }
}
