using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Gets the Workers that receive a Worker's tail events (its tail consumers), from its script settings.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfWorkerTailConsumer")]
    [OutputType(typeof(CfWorkerTailConsumer))]
    public sealed class GetCfWorkerTailConsumerCommand : WorkerScriptCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        protected override void ProcessCfRecord()
        {
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord bad) { WriteError(bad); return; }
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;
            var api = ScriptSettingsApi;
            var script = Script;
            IReadOnlyList<CfWorkerTailConsumer> consumers;
            try { consumers = Await(ct => api.GetTailConsumersAsync(accountId, script, ct)); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }
            foreach (var consumer in consumers) WriteObject(consumer);
        }
    }
}
