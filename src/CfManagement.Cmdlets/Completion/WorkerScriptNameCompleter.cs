using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>
    /// Completes Worker script names (every -Script / -WorkerScript parameter, Get-CfWorker -Name) from the session
    /// being used (-Session typed on the line, else the runspace's): what the user typed is a prefix or a wildcard
    /// pattern; nothing at all when not connected or the session has no account.
    /// </summary>
    public sealed class WorkerScriptNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            WildcardPattern pattern;
            try { pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase); }
            catch (WildcardPatternException) { return new List<CompletionResult>(); }
            return WorkerScriptCache.Scripts(CompletionSession.From(fakeBoundParameters))
                .Where(w => Matches(pattern, w.ScriptName))
                .OrderBy(w => w.ScriptName, StringComparer.Ordinal)
                .Select(w => new CompletionResult(CompletionSession.Quote(w.ScriptName), w.ScriptName, CompletionResultType.ParameterValue,
                    w.ScriptName + (w.ModifiedOn.HasValue ? $" (modified {w.ModifiedOn.Value.UtcDateTime:yyyy-MM-dd HH:mm}Z)" : "") +
                    (w.Tags.Count > 0 ? " [" + string.Join(", ", w.Tags) + "]" : "")))
                .ToList();
        }

        private static bool Matches(WildcardPattern pattern, string name)
        {
            try { return pattern.IsMatch(name); }
            catch (WildcardPatternException) { return false; } // an unclosed '[' typed so far
        }
    }
}
