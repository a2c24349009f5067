using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// <para type="synopsis">Creates a Secrets Store secret, or changes an existing one's value, scopes or comment. The value is write-only: it goes in as a SecureString and is never shown.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfSecretsStoreSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfSecretsStoreSecret))]
    public sealed class SetCfSecretsStoreSecretCommand : SecretsStoreCmdlet
    {
        /// <summary>The store's name or id.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string Store { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>The value (a SecureString; a plain string from Import-Csv is converted). Needed to create; optional to change scopes or comment.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [SecureStringTransformation]
        public SecureString? Value { get; set; }

        /// <summary>Services that may read the secret: workers, ai_gateway, dex, access, containers, websearch. New secrets default to workers.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Scopes")]
        [ArgumentCompleter(typeof(SecretsStoreScopeCompleter))]
        public string[]? Scope { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Comment { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (SecretsStoreInput.CheckStore(Store, nameof(Store)) is ErrorRecord badStore) errors.Add(badStore);
            if (SecretsStoreInput.CheckSecretName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            if (SecretsStoreInput.CheckValue(Value, Name, nameof(Value)) is ErrorRecord badValue) errors.Add(badValue);
            if (SecretsStoreInput.CheckScopes(Scope, nameof(Scope), out var scopes) is ErrorRecord badScope) errors.Add(badScope);
            if (SecretsStoreInput.CheckComment(Comment, nameof(Comment)) is ErrorRecord badComment) errors.Add(badComment);
            if (Value == null && Scope == null && Comment == null)
                errors.Add(InputValidator.Invalid(ErrorIds.NothingToChange, nameof(Value), Name, $"Nothing to set for secret '{Name}': no -Value, -Scope or -Comment.",
                    "Pass -Value (a SecureString) to create or overwrite, or -Scope / -Comment to change an existing secret."));
            if (WriteErrors(errors)) return;
            var accountId = AccountIdOrError(nameof(Store), Store);
            if (accountId == null) return;
            var store = ResolveStore(accountId, Store);
            if (store == null) return;
            var session = CurrentSession;

            var existing = Await(ct => session.SecretsStore.FindSecretAsync(accountId, store.Id, Name, ct));
            if (existing == null && Value == null)
            {
                WriteError(InputValidator.Invalid(ErrorIds.SecretValueRequired, nameof(Value), Name,
                    $"Secrets Store '{store.Name}' has no secret '{Name}' yet, and creating one needs a value.", "Pass -Value (a SecureString)."));
                return;
            }
            var changes = new List<string>();
            if (Value != null) changes.Add(existing == null ? "value" : "new value");
            if (scopes != null) changes.Add("scopes " + string.Join(", ", scopes));
            else if (existing == null) changes.Add("scopes workers");
            if (Comment != null) changes.Add("comment");
            var action = (existing == null ? "Create secret with " : "Update secret: ") + string.Join(", ", changes);
            if (!ShouldProcess($"secrets-store:{store.Name}/{Name}", action)) return;

            var (secret, created) = Await(ct => session.SecretsStore.SetSecretAsync(accountId, store.Id, existing, Name, Value, scopes, Comment, ct));
            WriteVerbose($"{(created ? "Created" : "Updated")} secret {Name} ({secret.Id}) in Secrets Store {store.Name}.");
            if (PassThru) WriteObject(secret.InStore(store.Name));
        }
    }
}
