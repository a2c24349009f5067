using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Pages;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Lists the secrets of a Pages project environment by name and type; values are never returned.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfPagesSecret")]
    [OutputType(typeof(CfPagesSecret))]
    public sealed class GetCfPagesSecretCommand : PagesCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string Project { get; set; } = "";

        /// <summary>production (default) or preview.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string Environment { get; set; } = PagesApi.Production;

        /// <summary>Also list plain_text variables (names and types only).</summary>
        [Parameter]
        public SwitchParameter IncludePlainText { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new System.Collections.Generic.List<ErrorRecord>();
            if (PagesInput.CheckProjectName(Project, nameof(Project)) is ErrorRecord badProject) errors.Add(badProject);
            if (PagesInput.CheckEnvironment(Environment, nameof(Environment), out var environment) is ErrorRecord badEnvironment) errors.Add(badEnvironment);
            if (WriteErrors(errors)) return;
            var accountId = RequirePagesAccount(nameof(Project), Project);
            if (accountId == null) return;
            var session = CurrentSession;
            try
            {
                var project = Await(ct => session.Pages.GetAsync(accountId, Project, ct));
                foreach (var variable in project.Variables.Where(v => v.Environment == environment && (IncludePlainText || v.Type == CfPagesSecret.SecretText)))
                    WriteObject(variable);
            }
            catch (CloudflareApiException ex) when (PagesInput.IsProjectNotFound(ex))
            {
                WriteError(PagesInput.ProjectNotFound(Project, ex));
            }
        }
    }
}
