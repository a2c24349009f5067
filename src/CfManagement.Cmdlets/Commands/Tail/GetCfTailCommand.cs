using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Tail
{
    /// <summary>
    /// <para type="synopsis">Gets the active live tails of a Worker (those of a running Start-CfTail, wrangler tail, or left behind by a killed process).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfTail")]
    [OutputType(typeof(CfTail))]
    public sealed class GetCfTailCommand : TailCmdlet
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
            var api = TailsApi;
            var script = Script;
            IReadOnlyList<CfTail> tails;
            try { tails = Await(ct => api.ListAsync(accountId, script, ct)); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }
            foreach (var tail in tails) WriteObject(tail);
        }
    }
}
