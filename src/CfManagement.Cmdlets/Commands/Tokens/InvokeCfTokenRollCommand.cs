using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Rolls tokens: Cloudflare issues a new value and kills the old one at once. The value is written to the destination you name before the command returns, and is never dropped.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CfTokenRoll", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfTokenCredential))]
    public sealed class InvokeCfTokenRollCommand : TokenTargetCmdlet
    {
        /// <summary>SecretManagement vault to write the new value to.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>Vault secret name; defaults to the token name.</summary>
        [Parameter]
        public string? SecretName { get; set; }

        /// <summary>Worker script whose secret receives the new value.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        /// <summary>Worker secret (binding) name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? WorkerSecretName { get; set; }

        /// <summary>Secrets Store (name or id) whose secret receives the value (created with scope workers, or its value replaced).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        /// <summary>Secrets Store secret name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? SecretsStoreSecretName { get; set; }

        /// <summary>Pages project whose secret receives the value (pages:&lt;project&gt;/&lt;environment&gt;/&lt;NAME&gt;).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string? PagesProject { get; set; }

        /// <summary>production (default) or preview.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string? PagesEnvironment { get; set; }

        /// <summary>The Pages secret's name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? PagesSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that later steps of the job read.</summary>
        [Parameter]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::).</summary>
        [Parameter]
        public string? GitHubOutput { get; set; }

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

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            var destinationParameters = Destinations;
            var errors = destinationParameters.Validate(this);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (destinationParameters.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var targets = ResolveTargets().ToList();
            if (targets.Count == 0) return;
            var context = new CmdletFlowContext(this);
            var recorder = new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId);
            var issuance = new CredentialIssuance(context);
            foreach (var token in targets)
            {
                var destinations = destinationParameters.Create(token.Name);
                var where = destinations.Count == 0 ? "returned to the caller" : string.Join(", ", destinations.Select(d => d.Description));
                if (!ShouldProcess($"{token.Name} ({token.Id})", $"Roll: issue a new value (the old one stops working at once); new value {where}")) continue;

                // The roll request is never abandoned; once it answered, the value is delivered or kept for the caller.
                issuance.Run(new TokenRollPlan(context, session, recorder, token, SecretDestinationBinding.Bind(destinations, this), AsPlainText));
                if (Stopping) throw new PipelineStoppedException();
            }
        }
    }
}
