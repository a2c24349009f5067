using System.Linq;
using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Creates an Access service token and delivers its client id and client secret to the destinations you name (vault, Worker, Secrets Store, Pages, GitHub Actions) before returning; the secret is never dropped and never shown unless -AsPlainText.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CfAccessServiceToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfAccessServiceTokenCredential))]
    public sealed class NewCfAccessServiceTokenCommand : CfSessionCmdlet
    {
        /// <summary>The token's name; unique in the account (a lost create is found by it).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>Go-style duration (8760h, 2160h, 60m) or forever; Cloudflare's default is 8760h (one year).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Duration { get; set; }

        /// <summary>SecretManagement vault: the client secret under -SecretName, the client id in its metadata (or NAME__CLIENT_ID).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>Vault secret name; defaults to the token name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretName { get; set; }

        /// <summary>Worker script that receives two secrets, -ClientIdName and -ClientSecretName.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        /// <summary>Secrets Store (name or id) that receives two secrets, -ClientIdName and -ClientSecretName.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        /// <summary>Pages project that receives two secret variables, -ClientIdName and -ClientSecretName.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string? PagesProject { get; set; }

        /// <summary>production (default) or preview.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string? PagesEnvironment { get; set; }

        /// <summary>Name of the client id secret in a Worker, Secrets Store or Pages destination; default NAME_CLIENT_ID.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ClientIdName { get; set; }

        /// <summary>Name of the client secret in a Worker, Secrets Store or Pages destination; default NAME_CLIENT_SECRET.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ClientSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that receives the client secret only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::) that receives the client secret only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GitHubOutput { get; set; }

        /// <summary>Return the client secret as a plain string instead of a SecureString (only when it goes to no destination).</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            var destinations = new AccessDestinations
            {
                Vault = Vault, SecretName = SecretName, WorkerScript = WorkerScript, SecretsStore = SecretsStore,
                PagesProject = PagesProject, PagesEnvironment = PagesEnvironment, ClientIdName = ClientIdName, ClientSecretName = ClientSecretName,
                GitHubEnv = GitHubEnv, GitHubOutput = GitHubOutput,
            };
            var errors = destinations.Validate(this);
            if (AccessInput.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Insert(0, badName);
            AccessDuration? duration = null;
            if (Duration != null && AccessInput.CheckDuration(Duration, nameof(Duration), out duration) is ErrorRecord badDuration) errors.Add(badDuration);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(Validation.InputValidator.AccountRequired(nameof(Name), Name, "Access service tokens live under /accounts/{id}/access/service_tokens"));
                return;
            }
            if (destinations.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }

            var targets = destinations.Create(Name);
            var where = targets.Count == 0 ? "returned to the caller" : string.Join(", ", targets.Select(d => d.Description));
            if (!ShouldProcess($"Access service token '{Name}' (duration {duration?.Text ?? AccessDuration.Default})", $"Create; client secret {where}")) return;

            var context = new CmdletFlowContext(this);
            var ledger = new AccessLedger(new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId));
            new CredentialIssuance(context).Run(new AccessServiceTokenCreatePlan(context, session, ledger, Name, duration,
                SecretDestinationBinding.Bind(targets, this), AsPlainText));
            if (Stopping) throw new PipelineStoppedException();
        }
    }
}
