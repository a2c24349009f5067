using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>Completes -Method with the standard HTTP methods (any other token is still accepted).</summary>
    public sealed class HttpMethodCompleter : IArgumentCompleter
    {
        private static readonly string[] Methods = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return Methods.Where(m => m.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
        }
    }
}
