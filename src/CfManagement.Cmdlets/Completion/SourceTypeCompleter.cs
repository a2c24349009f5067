using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>Completes -SourceType with the git hosts Pages builds from.</summary>
    public sealed class SourceTypeCompleter : IArgumentCompleter
    {
        private static readonly string[] Types = { "github", "gitlab" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return Types.Where(t => t.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t));
        }
    }
}
