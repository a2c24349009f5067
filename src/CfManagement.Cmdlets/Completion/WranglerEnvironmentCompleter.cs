using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Workers.Config;

namespace CfManagement.Completion
{
    /// <summary>Completes -Environment with the [env.NAME] tables of the -Config file; nothing when there is no readable config yet.</summary>
    public sealed class WranglerEnvironmentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var config = fakeBoundParameters?["Config"] as string;
            if (string.IsNullOrEmpty(config)) return Array.Empty<CompletionResult>();
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            try
            {
                return WranglerConfigReader.EnvironmentNames(System.IO.Path.GetFullPath(config!))
                    .Where(n => pattern.IsMatch(n))
                    .Select(n => new CompletionResult(CompletionSession.Quote(n), n, CompletionResultType.ParameterValue, $"[env.{n}]"))
                    .ToList();
            }
            catch (Exception)
            {
                // A half-typed path or a config with a syntax error: no suggestions, and nothing printed.
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
