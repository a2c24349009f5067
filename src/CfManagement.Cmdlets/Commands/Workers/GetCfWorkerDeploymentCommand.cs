using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Gets a Worker's deployments, the one serving traffic first: which versions, at what percentage, with their message.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfWorkerDeployment")]
    [OutputType(typeof(CfWorkerDeployment))]
    public sealed class GetCfWorkerDeploymentCommand : WorkerScriptCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        /// <summary>Only the deployment serving traffic now.</summary>
        [Parameter]
        public SwitchParameter Current { get; set; }

        protected override void ProcessCfRecord()
        {
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord bad) { WriteError(bad); return; }
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;
            var api = DeploymentsApi;
            var script = Script;
            IReadOnlyList<CfWorkerDeployment> deployments;
            try { deployments = Await(ct => api.ListAsync(accountId, script, ct)); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }
            foreach (var deployment in Current ? deployments.Take(1) : deployments) WriteObject(deployment);
        }
    }
}
