using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Gets a Worker's uploaded versions, newest first, or one version by id with its bindings and runtime settings.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfWorkerVersion", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(CfWorkerVersion))]
    public sealed class GetCfWorkerVersionCommand : WorkerScriptCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("VersionId")]
        public string[]? Id { get; set; }

        /// <summary>Only versions that can be deployed (Cloudflare then returns them all at once).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Deployable { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord badScript) errors.Add(badScript);
            var ids = new List<string>();
            foreach (var id in Id ?? Array.Empty<string>())
                if (WorkerInputValidator.CheckVersionId(id, nameof(Id), out var normalized) is ErrorRecord badId) errors.Add(badId);
                else ids.Add(normalized);
            if (WriteErrors(errors)) return;
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;

            var api = VersionsApi;
            var script = Script;
            if (ParameterSetName == IdSet)
            {
                foreach (var id in ids)
                {
                    try { WriteObject(Await(ct => api.GetAsync(accountId, script, id, ct))); }
                    catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script, id)); }
                }
                return;
            }
            var deployable = Deployable.IsPresent;
            try { ReadAllPages($"Listing versions of {script}", (page, ct) => api.ListPageAsync(accountId, script, page, deployable, ct), WriteObject); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); }
        }
    }
}
