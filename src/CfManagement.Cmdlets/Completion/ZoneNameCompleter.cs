using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>
    /// Completes zone names (-Zone, Get-CfZone -Name) from the session being used: what the user typed is a prefix or
    /// a wildcard pattern; nothing at all when not connected.
    /// </summary>
    public sealed class ZoneNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return CompletionSession.Zones(CompletionSession.From(fakeBoundParameters))
                .Where(z => pattern.IsMatch(z.Name))
                .GroupBy(z => z.Name, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new CompletionResult(CompletionSession.Quote(g.Key), g.Key, CompletionResultType.ParameterValue,
                    string.Join("; ", g.Select(z => $"{z.Id} [{z.Status}]{(z.AccountName == null ? "" : " " + z.AccountName)}"))))
                .ToList();
        }
    }
}
