using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfManagement.Completion
{
    /// <summary>
    /// Completes -SecretName with the secrets of the vault already typed in -Vault (Get-SecretInfo: names and metadata
    /// only, never values), leaving out the NAME__CLIENT_ID / NAME__EXPIRES_AT companions; nothing without -Vault or
    /// SecretManagement.
    /// </summary>
    public sealed class VaultSecretNameCompleter : IArgumentCompleter
    {
        // ErrorAction Ignore throughout: completion must leave no entry in $Error and print nothing.
        private const string ListSecrets =
            "param($vault) if (Get-Command -Name Get-SecretInfo -ErrorAction Ignore) { Get-SecretInfo -Vault $vault -ErrorAction Ignore }";

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var vault = fakeBoundParameters?["Vault"] ?? fakeBoundParameters?["VaultName"];
            if (vault is PSObject wrapped) vault = wrapped.BaseObject;
            if (!(vault is string vaultName) || string.IsNullOrWhiteSpace(vaultName)) return Enumerable.Empty<CompletionResult>();
            var pattern = new WildcardPattern(CompletionSession.Unquote(wordToComplete) + "*", WildcardOptions.IgnoreCase);
            try
            {
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    ps.AddScript(ListSecrets).AddArgument(vaultName);
                    return ps.Invoke()
                        .Select(s => s?.Properties["Name"]?.Value as string)
                        .Where(n => n != null && n.IndexOf("__", StringComparison.Ordinal) < 0 && pattern.IsMatch(n))
                        .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                        .Select(n => new CompletionResult(CompletionSession.Quote(n!), n, CompletionResultType.ParameterValue, $"{n} in vault {vaultName}"))
                        .ToList();
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // completion must never throw at the user
            }
        }
    }
}
