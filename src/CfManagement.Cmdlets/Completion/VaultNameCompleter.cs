using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>
    /// Completes -Vault with the SecretManagement vaults registered for this user (Get-SecretVault); nothing, and no
    /// error, when SecretManagement is not installed.
    /// </summary>
    public sealed class VaultNameCompleter : IArgumentCompleter
    {
        // ErrorAction Ignore throughout: completion must leave no entry in $Error and print nothing.
        private const string ListVaults =
            "if (Get-Command -Name Get-SecretVault -ErrorAction Ignore) { Get-SecretVault -ErrorAction Ignore }";

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return ListRegisteredVaults()
                .Where(v => pattern.IsMatch(v.Name))
                .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
                .Select(v => new CompletionResult(CompletionSession.Quote(v.Name), v.Name, CompletionResultType.ParameterValue,
                    $"{v.Module}{(v.IsDefault ? " (default vault)" : "")}"))
                .ToList();
        }

        private static IEnumerable<(string Name, string Module, bool IsDefault)> ListRegisteredVaults()
        {
            try
            {
                // Completers run on the thread of the runspace asking (TabExpansion2), so a nested pipeline is allowed here.
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    ps.AddScript(ListVaults);
                    return ps.Invoke()
                        .Where(v => v?.Properties["Name"]?.Value is string)
                        .Select(v => ((string)v.Properties["Name"].Value,
                            v.Properties["ModuleName"]?.Value?.ToString() ?? "",
                            v.Properties["IsDefault"]?.Value is bool isDefault && isDefault))
                        .ToList();
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<(string, string, bool)>(); // completion must never throw at the user
            }
        }
    }
}
