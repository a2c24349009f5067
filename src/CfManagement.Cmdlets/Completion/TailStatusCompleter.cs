using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Tail;

namespace CfManagement.Completion
{
    /// <summary>Completes Start-CfTail -Status with the three statuses wrangler's --status takes.</summary>
    public sealed class TailStatusCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return TailFilters.Statuses
                .Where(s => s.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, Describe(s)));
        }

        private static string Describe(string status) =>
            status == "ok" ? "invocations that succeeded"
            : status == "canceled" ? "invocations the client canceled"
            : "exceptions and exceeded CPU or memory limits";
    }
}
