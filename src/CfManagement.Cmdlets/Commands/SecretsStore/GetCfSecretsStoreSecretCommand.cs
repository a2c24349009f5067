using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// <para type="synopsis">Gets Secrets Store secrets' metadata (name, id, status, scopes, comment, created, modified). Values are write-only and never returned.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfSecretsStoreSecret")]
    [OutputType(typeof(CfSecretsStoreSecret))]
    public sealed class GetCfSecretsStoreSecretCommand : SecretsStoreCmdlet
    {
        /// <summary>The store's name or id; every store of the account when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Secret names (wildcards); all when omitted.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (Store != null && SecretsStoreInput.CheckStore(Store, nameof(Store)) is ErrorRecord badStore) errors.Add(badStore);
            var names = Name ?? Array.Empty<string>();
            foreach (var name in names)
                if ((InputValidator.CheckName(name, nameof(Name), SecretsStoreInput.MaxNameLength) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad)
                    errors.Add(bad);
            if (WriteErrors(errors)) return;
            var accountId = AccountIdOrError(nameof(Store), Store);
            if (accountId == null) return;
            var session = CurrentSession;

            IReadOnlyList<CfSecretsStore> stores;
            if (Store != null)
            {
                var store = ResolveStore(accountId, Store);
                if (store == null) return;
                stores = new[] { store };
            }
            else stores = Await(ct => session.SecretsStore.ListStoresAsync(accountId, ct));

            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            // One exact name is Cloudflare's search filter (a part of the name); anything else lists and filters here.
            var search = names.Length == 1 && !WildcardPattern.ContainsWildcardCharacters(names[0]) ? names[0] : null;
            var found = names.ToDictionary(n => n, _ => false, StringComparer.OrdinalIgnoreCase);
            foreach (var store in stores)
            {
                ReadAllPages($"Listing secrets of {store.Name}", (page, ct) => session.SecretsStore.ListSecretsPageAsync(accountId, store.Id, search, page, ct), secret =>
                {
                    if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(secret.Name))) return;
                    foreach (var n in names.Where(n => string.Equals(n, secret.Name, StringComparison.OrdinalIgnoreCase))) found[n] = true;
                    WriteObject(secret.InStore(store.Name));
                });
            }
            foreach (var missing in found.Where(p => !p.Value && !WildcardPattern.ContainsWildcardCharacters(p.Key)).Select(p => p.Key))
                WriteError(SecretsStoreErrors.SecretNotFound(Store ?? string.Join(", ", stores.Select(s => s.Name)), missing, ""));
        }
    }
}
