using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Pages;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Deletes Pages projects, with their deployments and variables. A project that is already gone is reported as PagesProjectNotFound.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfPagesProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveCfPagesProjectCommand : PagesCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        /// <summary>Exact project names (no wildcards: a deletion names its target precisely).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Project")]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string[] Name { get; set; } = new string[0];

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public CfPagesProject[] InputObject { get; set; } = new CfPagesProject[0];

        protected override void ProcessCfRecord()
        {
            var names = new System.Collections.Generic.List<string>();
            if (ParameterSetName == InputObjectSet) foreach (var project in InputObject) names.Add(project.Name);
            else names.AddRange(Name);
            var ok = true;
            foreach (var name in names)
                if (PagesInput.CheckProjectName(name, nameof(Name)) is ErrorRecord bad) { WriteError(bad); ok = false; }
            if (!ok) return;
            var accountId = RequirePagesAccount(nameof(Name), Name);
            if (accountId == null) return;
            var session = CurrentSession;
            foreach (var name in names)
            {
                if (!ShouldProcess($"Pages project '{name}' (its deployments, domains and variables)", "Delete")) continue;
                try
                {
                    Await(ct => session.Pages.DeleteAsync(accountId, name, ct));
                    WriteVerbose($"Deleted Pages project '{name}'.");
                }
                catch (CloudflareApiException ex) when (PagesInput.IsProjectNotFound(ex))
                {
                    WriteError(PagesInput.ProjectNotFound(name, ex));
                }
                catch (CloudflareApiException ex)
                {
                    WriteApiError(ex, name);
                }
            }
        }
    }
}
