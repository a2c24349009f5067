using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// <para type="synopsis">Deletes Secrets Store secrets by name. A secret that is already gone is reported as SecretsStoreSecretNotFound (ObjectNotFound) and nothing changes.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfSecretsStoreSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveCfSecretsStoreSecretCommand : SecretsStoreCmdlet
    {
        /// <summary>The store's name or id.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string Store { get; set; } = "";

        /// <summary>Exact secret names (no wildcards: a removal names what it removes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string[] Name { get; set; } = System.Array.Empty<string>();

        protected override void ProcessCfRecord()
        {
            var errors = new System.Collections.Generic.List<ErrorRecord>();
            if (SecretsStoreInput.CheckStore(Store, nameof(Store)) is ErrorRecord badStore) errors.Add(badStore);
            foreach (var name in Name)
                if (SecretsStoreInput.CheckSecretName(name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            if (WriteErrors(errors)) return;
            var accountId = AccountIdOrError(nameof(Store), Store);
            if (accountId == null) return;
            var store = ResolveStore(accountId, Store);
            if (store == null) return;
            var session = CurrentSession;

            foreach (var name in Name)
            {
                var secret = Await(ct => session.SecretsStore.FindSecretAsync(accountId, store.Id, name, ct));
                if (secret == null)
                {
                    WriteError(SecretsStoreErrors.SecretNotFound(store.Name, name, ": it is already gone, nothing was changed"));
                    continue;
                }
                if (!ShouldProcess($"secrets-store:{store.Name}/{name} ({secret.Id})", "Delete secret")) continue;
                try
                {
                    Await(ct => session.SecretsStore.DeleteSecretAsync(accountId, store.Id, secret.Id, ct));
                    WriteVerbose($"Deleted secret {name} ({secret.Id}) from Secrets Store {store.Name}.");
                }
                catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
                {
                    WriteError(SecretsStoreErrors.SecretNotFound(store.Name, name, ": it was deleted meanwhile, nothing was changed"));
                }
            }
        }
    }
}
