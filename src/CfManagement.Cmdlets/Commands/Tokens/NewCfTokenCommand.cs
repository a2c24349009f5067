using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Creates an API token from permission-group names, zones, validity and IP filters; returns its one-time value as a SecureString, or stores it in the destinations you name (vault, Worker, Secrets Store, Pages, GitHub Actions) and returns its metadata.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CfToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfTokenCredential), typeof(CfToken))]
    public sealed class NewCfTokenCommand : CfSessionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>Permission-group names or 32-hex ids; "Zone:Name" picks one scope of a name that repeats.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[] PermissionGroup { get; set; } = Array.Empty<string>();

        /// <summary>Zone names or ids that zone-level groups apply to.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter]
        public SwitchParameter AllZones { get; set; }

        /// <summary>Owner of the new token: User (default for user sessions) or Account.</summary>
        [Parameter]
        public CfTokenScope? Scope { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? ExpiresOn { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan? Ttl { get; set; }

        [Parameter]
        public DateTime? NotBefore { get; set; }

        [Parameter]
        public string[]? AllowedIp { get; set; }

        [Parameter]
        public string[]? DeniedIp { get; set; }

        /// <summary>SecretManagement vault to store the value in (with metadata: TokenId, TokenName, ExpiresOn, Scopes, IssuedOn, ManagedBy).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>Vault secret name; defaults to the token name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretName { get; set; }

        /// <summary>Worker script whose secret receives the value.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        /// <summary>Worker secret (binding) name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
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

        /// <summary>Return the value as a plain string instead of a SecureString (only when it goes to no destination).</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        /// <summary>SQLite ledger that records the creation. With a destination the creation is always recorded (in the session's or the per-user default ledger when this is omitted); without one, only when a ledger is named here.</summary>
        [Parameter]
        public string? LedgerPath { get; set; }

        /// <summary>D1 ledger database id that records the creation.</summary>
        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>The destination parameters, whose rules are shared with the other commands that mint or roll a token.</summary>
        private TokenDestinations Destinations => new TokenDestinations
        {
            Vault = Vault, SecretName = SecretName, WorkerScript = WorkerScript, WorkerSecretName = WorkerSecretName,
            SecretsStore = SecretsStore, SecretsStoreSecretName = SecretsStoreSecretName,
            PagesProject = PagesProject, PagesEnvironment = PagesEnvironment, PagesSecretName = PagesSecretName,
            GitHubEnv = GitHubEnv, GitHubOutput = GitHubOutput,
        };

        protected override void ProcessCfRecord()
        {
            var destinations = Destinations;
            var errors = new List<ErrorRecord>();
            if (InputValidator.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            TokenInputValidation.CheckList(PermissionGroup, nameof(PermissionGroup), errors);
            TokenInputValidation.CheckList(Zone, nameof(Zone), errors);
            if (Zone != null && AllZones)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AllZones), null, "-Zone and -AllZones both say which zones.", "Pass one of them."));
            var expiry = TokenInputValidation.Expiry(ExpiresOn, Ttl, NotBefore, errors, DateTimeOffset.UtcNow);
            var allowed = TokenInputValidation.Cidrs(AllowedIp, nameof(AllowedIp), errors);
            var denied = TokenInputValidation.Cidrs(DeniedIp, nameof(DeniedIp), errors);
            errors.AddRange(destinations.Validate(this));
            if (AsPlainText && destinations.Any)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AsPlainText), null,
                    "-AsPlainText returns the value, but with a destination the value is stored there and only the token's metadata is returned.",
                    "Drop -AsPlainText (read the value from the destination), or drop the destination to receive the value."));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (destinations.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var owner = Scope ?? session.TokenScope;
            var definition = TokenDefinitionFactory.Build(this, session, owner, Name, PermissionGroup, Zone, AllZones, expiry,
                NotBefore.HasValue ? TokenInputValidation.ToUtc(NotBefore.Value) : (DateTimeOffset?)null, allowed, denied, nameof(PermissionGroup));
            if (definition == null) return;

            var targets = destinations.Create(Name);
            var what = $"{owner.ToString().ToLowerInvariant()}-owned token '{Name}' with {string.Join(", ", definition.Policies.SelectMany(p => p.PermissionGroups).Select(g => g.Name))}";
            if (!ShouldProcess(what, $"Create; value {TokenDestinations.Describe(targets)}")) return;

            var context = new CmdletFlowContext(this);
            // A value that goes somewhere is recorded (in the configured ledger, else the per-user default, as every
            // storing command does); one returned to the caller only with an explicit -LedgerPath/-LedgerDatabaseId.
            var recorder = targets.Count > 0 || LedgerPath != null || LedgerDatabaseId != null
                ? new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId)
                : null;
            new CredentialIssuance(context).Run(new TokenCreatePlan(context, session, recorder, owner, definition,
                SecretDestinationBinding.Bind(targets, this), AsPlainText));
            if (Stopping) throw new PipelineStoppedException();
        }
    }
}
