using System;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// <para type="synopsis">Gets the account's Secrets Store stores (account-level secrets that Workers and AI Gateway bind), by name (wildcards) or id.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfSecretsStore")]
    [OutputType(typeof(CfSecretsStore))]
    public sealed class GetCfSecretsStoreCommand : CfSessionCmdlet
    {
        /// <summary>Store names (wildcards) or ids; all stores when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("Store")]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var names = Name ?? Array.Empty<string>();
            foreach (var name in names)
                if ((InputValidator.CheckName(name, nameof(Name), SecretsStoreInput.MaxNameLength) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad)
                {
                    WriteError(bad);
                    return;
                }
            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(InputValidator.AccountRequired(nameof(Name), null, "Secrets Store stores live in an account"));
                return;
            }

            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var found = names.ToDictionary(n => n, _ => false, StringComparer.OrdinalIgnoreCase);
            ReadAllPages("Listing Secrets Store stores", (page, ct) => session.SecretsStore.ListStoresPageAsync(session.AccountId!, page, ct), store =>
            {
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(store.Name)) && !names.Contains(store.Id)) return;
                foreach (var n in names.Where(n => n == store.Id || string.Equals(n, store.Name, StringComparison.OrdinalIgnoreCase))) found[n] = true;
                WriteObject(store);
            });
            foreach (var missing in found.Where(p => !p.Value && !WildcardPattern.ContainsWildcardCharacters(p.Key)).Select(p => p.Key))
                WriteError(SecretsStoreErrors.StoreNotFound(missing));
        }
    }
}
