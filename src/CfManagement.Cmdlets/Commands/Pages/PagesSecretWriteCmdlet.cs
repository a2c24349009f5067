using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Pages;
using CfManagement.SecretSets;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// What Set- and Sync-CfPagesSecret add to the secret-set run (<see cref="SecretSetWriteCmdlet"/>): their one
    /// target, a project environment (-Project, -Environment), changed in PATCH batches.
    /// </summary>
    public abstract class PagesSecretWriteCmdlet : SecretSetWriteCmdlet
    {
        /// <summary>The one target key: every entry goes to -Project/-Environment.</summary>
        private const string EnvironmentKey = "";
        private string _environment = PagesApi.Production;

        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string Project { get; set; } = "";

        /// <summary>production (default) or preview.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string Environment { get; set; } = PagesApi.Production;

        protected override int ActivityId => 8802;

        protected override string UnchangedReason => "The ledger's fingerprint matches: the project already holds this value.";

        private protected void AddEntry(SecretEntry entry) => AddEntryTo(EnvironmentKey, entry);

        /// <summary>Reads a .env/.dev.vars/JSON file; parse errors are refusals naming the file and line.</summary>
        protected void AddFile(string path) => AddFileTo(EnvironmentKey, path);

        /// <summary>The environment takes part even with no entries (Sync -Prune of an empty file empties it).</summary>
        private protected override void CheckTargetParameters()
        {
            if (PagesInput.CheckProjectName(Project, nameof(Project)) is ErrorRecord badProject) Refuse(badProject);
            if (PagesInput.CheckEnvironment(Environment, nameof(Environment), out var environment) is ErrorRecord badEnvironment) Refuse(badEnvironment);
            _environment = environment;
            AddTarget(EnvironmentKey);
        }

        private protected override string TargetNameOf(string key) => PagesSecretSetTarget.TargetOf(Project, _environment);

        private protected override ErrorRecord AccountMissing(string firstKey) =>
            InputValidator.AccountRequired(nameof(Project), Project, "Pages projects live in an account");

        private protected override ISecretSetTarget CreateTarget(CfSession session, string accountId, string key) =>
            new PagesSecretSetTarget(session.Pages, accountId, Project, _environment);
    }
}
