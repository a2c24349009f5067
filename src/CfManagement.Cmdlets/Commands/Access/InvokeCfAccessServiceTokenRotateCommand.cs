using System;
using System.Linq;
using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Completion;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Rotates Access service tokens: Cloudflare issues a new client secret, delivered to the destinations you name before the command returns and never dropped. The old secret dies at once unless -GracePeriod keeps it working for a while.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CfAccessServiceTokenRotate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfAccessServiceTokenCredential))]
    public sealed class InvokeCfAccessServiceTokenRotateCommand : AccessServiceTokenTargetCmdlet
    {
        /// <summary>How long the previous secret keeps working (sent as previous_client_secret_expires_at = now + this). Default: none, it dies at once.</summary>
        [Parameter]
        public TimeSpan? GracePeriod { get; set; }

        /// <summary>SecretManagement vault: the new client secret under -SecretName, the client id in its metadata (or NAME__CLIENT_ID).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>Vault secret name; defaults to the token name.</summary>
        [Parameter]
        public string? SecretName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string? PagesProject { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string? PagesEnvironment { get; set; }

        /// <summary>Name of the client id secret in a Worker, Secrets Store or Pages destination; default NAME_CLIENT_ID.</summary>
        [Parameter]
        public string? ClientIdName { get; set; }

        /// <summary>Name of the client secret in a Worker, Secrets Store or Pages destination; default NAME_CLIENT_SECRET.</summary>
        [Parameter]
        public string? ClientSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that receives the client secret only.</summary>
        [Parameter]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::) that receives the client secret only.</summary>
        [Parameter]
        public string? GitHubOutput { get; set; }

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
            if (!ValidateTargets()) return;
            var errors = destinations.Validate(this);
            if (AccessInput.CheckGracePeriod(GracePeriod, nameof(GracePeriod)) is ErrorRecord badGrace) errors.Add(badGrace);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;
            var session = CurrentSession;
            if (destinations.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }

            var targets = ResolveTargets().ToList();
            if (targets.Count == 0) return;
            var context = new CmdletFlowContext(this);
            AccessLedger? ledger = null;
            var issuance = new CredentialIssuance(context);
            foreach (var token in targets)
            {
                var bound = destinations.Create(token.Name);
                var where = bound.Count == 0 ? "returned to the caller" : string.Join(", ", bound.Select(d => d.Description));
                var oldSecret = GracePeriod.HasValue ? $"the old secret keeps working for {GracePeriod.Value}" : "the old secret stops working at once";
                if (!ShouldProcess($"Access service token {token}", $"Rotate: issue a new client secret ({oldSecret}); new secret {where}")) continue;
                ledger ??= new AccessLedger(new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId));

                // The rotate request is never abandoned; once it answered, the secret is delivered or kept for the caller.
                issuance.Run(new AccessServiceTokenRotatePlan(context, session, ledger, token, GracePeriod, SecretDestinationBinding.Bind(bound, this), AsPlainText));
                if (Stopping) throw new PipelineStoppedException();
            }
        }
    }
}
