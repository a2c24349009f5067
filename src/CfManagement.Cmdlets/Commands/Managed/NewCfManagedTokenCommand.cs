using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Managed;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Managed
{
    /// <summary>
    /// <para type="synopsis">Mints a short-lived token for a purpose, stores its value where it is used, and records it in the ledger; any failure rolls everything back.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CfManagedToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfManagedToken))]
    public sealed class NewCfManagedTokenCommand : CfSessionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>Why the token exists (recorded in the ledger and the vault metadata), e.g. "nightly DNS sync".</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Purpose { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[] PermissionGroup { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter]
        public SwitchParameter AllZones { get; set; }

        /// <summary>How long the token lives. Managed tokens always expire.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public TimeSpan Ttl { get; set; }

        [Parameter]
        public CfTokenScope? Scope { get; set; }

        [Parameter]
        public string[]? AllowedIp { get; set; }

        [Parameter]
        public string[]? DeniedIp { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WorkerSecretName { get; set; }

        /// <summary>Secrets Store (name or id) whose secret receives the value (created with scope workers, or its value replaced).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        /// <summary>Secrets Store secret name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretsStoreSecretName { get; set; }

        /// <summary>Pages project whose secret receives the value (pages:&lt;project&gt;/&lt;environment&gt;/&lt;NAME&gt;).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string? PagesProject { get; set; }

        /// <summary>production (default) or preview.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string? PagesEnvironment { get; set; }

        /// <summary>The Pages secret's name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PagesSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that later steps of the job read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubOutput { get; set; }

        /// <summary>With no destination the value comes back in .Value; as plain text only with this switch.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        private static string? SecretGuardSafe(string? purpose) => CfManagement.Ledger.SecretGuard.LooksLikeSecret(purpose) ? null : purpose;

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (InputValidator.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            if (string.IsNullOrWhiteSpace(Purpose) || Purpose.Length > 200)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidPurpose, nameof(Purpose), SecretGuardSafe(Purpose), "-Purpose must say why the token exists, in 1 to 200 characters.", "E.g. -Purpose 'nightly DNS sync for example.com'."));
            else TokenInputValidation.CheckPurposeNotSecret(Purpose, errors);
            TokenInputValidation.CheckList(PermissionGroup, nameof(PermissionGroup), errors);
            TokenInputValidation.CheckList(Zone, nameof(Zone), errors);
            if (Zone != null && AllZones)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AllZones), null, "-Zone and -AllZones both say which zones.", "Pass one of them."));
            var now = DateTimeOffset.UtcNow;
            var expiry = TokenInputValidation.Expiry(null, Ttl, null, errors, now);
            var allowed = TokenInputValidation.Cidrs(AllowedIp, nameof(AllowedIp), errors);
            var denied = TokenInputValidation.Cidrs(DeniedIp, nameof(DeniedIp), errors);
            errors.AddRange(DestinationOptions.Validate(this, Vault, SecretName, WorkerScript, WorkerSecretName, SecretsStore, SecretsStoreSecretName));
            errors.AddRange(PagesSecretDestination.Validate(PagesProject, PagesEnvironment, PagesSecretName));
            errors.AddRange(GitHubActionsDestination.Validate(GitHubEnv, GitHubOutput));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (DestinationOptions.CheckSession(session, WorkerScript, SecretsStore) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            if (PagesSecretDestination.CheckSession(session, PagesProject) is ErrorRecord noPagesAccount) { WriteError(noPagesAccount); return; }
            var owner = Scope ?? session.TokenScope;
            var definition = TokenDefinitionFactory.Build(this, session, owner, Name, PermissionGroup, Zone, AllZones, expiry, null, allowed, denied, nameof(PermissionGroup));
            if (definition == null) return;
            var destinations = DestinationOptions.Create(Name, Vault, SecretName, WorkerScript, WorkerSecretName, SecretsStore, SecretsStoreSecretName);
            destinations.AddRange(PagesSecretDestination.Create(Name, PagesProject, PagesEnvironment, PagesSecretName));
            destinations.AddRange(GitHubActionsDestination.Create(GitHubEnv, GitHubOutput));
            var where = destinations.Count == 0 ? new List<string> { "caller" } : destinations.Select(d => d.Description).ToList();
            if (!ShouldProcess($"managed token '{Name}' for '{Purpose}', expiring {expiry:u}", $"Mint and store in {string.Join(", ", where)}")) return;

            var context = new CmdletFlowContext(this);
            var recorder = new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId);
            new CredentialIssuance(context).Run(new ManagedTokenPlan(context, session, recorder, Purpose, owner, definition,
                SecretDestinationBinding.Bind(destinations, this), AsPlainText));
            if (Stopping) throw new PipelineStoppedException();
        }
    }
}
