using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Api;

namespace CfManagement.Completion
{
    /// <summary>Completes Secrets Store scopes (the spec's enum: workers, ai_gateway, ...). Offline.</summary>
    public sealed class SecretsStoreScopeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = CompletionSession.Unquote(wordToComplete);
            return SecretsStoreApi.KnownScopes
                .Where(s => s.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s))
                .ToList();
        }
    }
}
