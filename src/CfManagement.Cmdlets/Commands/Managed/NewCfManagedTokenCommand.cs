using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Access;
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
    /// <remarks>
    /// -AccessServiceToken mints an Access service token instead of an API token, on the same terms (purpose, TTL,
    /// ledger record and registry row, rollback, cleanup by Remove-CfExpiredManagedToken): one command for "a short-lived
    /// credential for a purpose", whichever kind, so the registry, Get-CfManagedToken and the cleanup schedule stay one.
    /// Its own parameter set keeps the API-token-only parameters (permission groups, zones, IP filters) away from it.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "CfManagedToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ApiTokenSet)]
    [OutputType(typeof(CfManagedToken))]
    public sealed class NewCfManagedTokenCommand : CfSessionCmdlet
    {
        private const string ApiTokenSet = "ApiToken";
        private const string AccessSet = "AccessServiceToken";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>Why the token exists (recorded in the ledger and the vault metadata), e.g. "nightly DNS sync".</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Purpose { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ApiTokenSet)]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[] PermissionGroup { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ApiTokenSet)]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter(ParameterSetName = ApiTokenSet)]
        public SwitchParameter AllZones { get; set; }

        /// <summary>How long the token lives. Managed tokens always expire.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public TimeSpan Ttl { get; set; }

        [Parameter(ParameterSetName = ApiTokenSet)]
        public CfTokenScope? Scope { get; set; }

        [Parameter(ParameterSetName = ApiTokenSet)]
        public string[]? AllowedIp { get; set; }

        [Parameter(ParameterSetName = ApiTokenSet)]
        public string[]? DeniedIp { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ApiTokenSet)]
        public string? WorkerSecretName { get; set; }

        /// <summary>Secrets Store (name or id) whose secret receives the value (created with scope workers, or its value replaced).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        /// <summary>Secrets Store secret name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ApiTokenSet)]
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
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ApiTokenSet)]
        public string? PagesSecretName { get; set; }

        /// <summary>Mint an Access service token (client id + client secret) instead of an API token; its duration is -Ttl.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessSet)]
        public SwitchParameter AccessServiceToken { get; set; }

        /// <summary>With -AccessServiceToken: the client id's secret name in a Worker, Secrets Store or Pages destination (default NAME_CLIENT_ID).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AccessSet)]
        public string? ClientIdName { get; set; }

        /// <summary>With -AccessServiceToken: the client secret's name in a Worker, Secrets Store or Pages destination (default NAME_CLIENT_SECRET).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AccessSet)]
        public string? ClientSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that later steps of the job read; with -AccessServiceToken, the client secret only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::); with -AccessServiceToken, the client secret only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubOutput { get; set; }

        /// <summary>With no destination the value comes back in .Value; as plain text only with this switch.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

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

        private static string? SecretGuardSafe(string? purpose) => CfManagement.Ledger.SecretGuard.LooksLikeSecret(purpose) ? null : purpose;

        private void CheckPurpose(List<ErrorRecord> errors)
        {
            if (string.IsNullOrWhiteSpace(Purpose) || Purpose.Length > 200)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidPurpose, nameof(Purpose), SecretGuardSafe(Purpose), "-Purpose must say why the token exists, in 1 to 200 characters.", "E.g. -Purpose 'nightly DNS sync for example.com'."));
            else TokenInputValidation.CheckPurposeNotSecret(Purpose, errors);
        }

        protected override void ProcessCfRecord()
        {
            if (ParameterSetName == AccessSet)
            {
                MintAccessServiceToken();
                return;
            }
            var errors = new List<ErrorRecord>();
            if (InputValidator.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            CheckPurpose(errors);
            TokenInputValidation.CheckList(PermissionGroup, nameof(PermissionGroup), errors);
            TokenInputValidation.CheckList(Zone, nameof(Zone), errors);
            if (Zone != null && AllZones)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AllZones), null, "-Zone and -AllZones both say which zones.", "Pass one of them."));
            var now = DateTimeOffset.UtcNow;
            var expiry = TokenInputValidation.Expiry(null, Ttl, null, errors, now);
            var allowed = TokenInputValidation.Cidrs(AllowedIp, nameof(AllowedIp), errors);
            var denied = TokenInputValidation.Cidrs(DeniedIp, nameof(DeniedIp), errors);
            var destinationParameters = Destinations;
            errors.AddRange(destinationParameters.Validate(this));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (destinationParameters.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var owner = Scope ?? session.TokenScope;
            var definition = TokenDefinitionFactory.Build(this, session, owner, Name, PermissionGroup, Zone, AllZones, expiry, null, allowed, denied, nameof(PermissionGroup));
            if (definition == null) return;
            var destinations = destinationParameters.Create(Name);
            var where = destinations.Count == 0 ? new List<string> { "caller" } : destinations.Select(d => d.Description).ToList();
            if (!ShouldProcess($"managed token '{Name}' for '{Purpose}', expiring {expiry:u}", $"Mint and store in {string.Join(", ", where)}")) return;

            var context = new CmdletFlowContext(this);
            var recorder = new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId);
            new CredentialIssuance(context).Run(new ManagedTokenPlan(context, session, recorder, Purpose, owner, definition,
                SecretDestinationBinding.Bind(destinations, this), AsPlainText));
            if (Stopping) throw new PipelineStoppedException();
        }

        /// <summary>
        /// The -AccessServiceToken flow: the same input rules (name, purpose, TTL, destinations, ledger), then the Access
        /// create on the issuance sequence with the registry rows of a managed token (see ManagedAccessServiceTokenPlan).
        /// </summary>
        private void MintAccessServiceToken()
        {
            var destinations = new AccessDestinations
            {
                Vault = Vault, SecretName = SecretName, WorkerScript = WorkerScript, SecretsStore = SecretsStore,
                PagesProject = PagesProject, PagesEnvironment = PagesEnvironment, ClientIdName = ClientIdName, ClientSecretName = ClientSecretName,
                GitHubEnv = GitHubEnv, GitHubOutput = GitHubOutput,
            };
            var errors = new List<ErrorRecord>();
            if (AccessInput.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            CheckPurpose(errors);
            var now = DateTimeOffset.UtcNow;
            var expiry = TokenInputValidation.Expiry(null, Ttl, null, errors, now);
            errors.AddRange(destinations.Validate(this));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;
            AccessDuration.TryParse(AccessDuration.Format(Ttl), out var duration, out _);

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(InputValidator.AccountRequired(nameof(AccessServiceToken), Name, "Access service tokens live under /accounts/{id}/access/service_tokens"));
                return;
            }
            if (destinations.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var targets = destinations.Create(Name);
            var where = targets.Count == 0 ? new List<string> { "caller" } : targets.Select(d => d.Description).ToList();
            if (!ShouldProcess($"managed Access service token '{Name}' for '{Purpose}', expiring {expiry:u} (duration {duration!.Text})", $"Create and store in {string.Join(", ", where)}")) return;

            var context = new CmdletFlowContext(this);
            var ledger = new AccessLedger(new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId));
            new CredentialIssuance(context).Run(new ManagedAccessServiceTokenPlan(context, session, ledger, Name, duration, Purpose,
                SecretDestinationBinding.Bind(targets, this), AsPlainText));
            if (Stopping) throw new PipelineStoppedException();
        }
    }
}