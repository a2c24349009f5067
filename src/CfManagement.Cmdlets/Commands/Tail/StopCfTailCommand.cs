using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Tail
{
    /// <summary>
    /// <para type="synopsis">Deletes live tails of a Worker: those given by -Id (or piped from Get-CfTail), else every active tail of the script.</para>
    /// <para type="description">For tails left behind by a killed process; a running Start-CfTail deletes its own tails when it stops.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "CfTail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class StopCfTailCommand : TailCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        /// <summary>The tails to delete; without it, every active tail of the script.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[]? Id { get; set; }

        protected override void ProcessCfRecord()
        {
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord bad) { WriteError(bad); return; }
            if (Id != null && Id.Any(string.IsNullOrWhiteSpace))
            {
                WriteError(InputValidator.Invalid(ErrorIds.InvalidTailLimit, nameof(Id), Id, "A tail id is empty.", "Give the ids Get-CfTail shows, or leave -Id out to stop every tail of the script."));
                return;
            }
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;
            var api = TailsApi;
            var script = Script;
            IEnumerable<string> ids;
            if (Id != null) ids = Id;
            else
            {
                try { ids = Await(ct => api.ListAsync(accountId, script, ct)).Select(t => t.Id).ToList(); }
                catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }
            }
            foreach (var id in ids)
            {
                if (!ShouldProcess($"tail {id} of Worker '{script}'", "Delete")) continue;
                try { Await(ct => api.DeleteAsync(accountId, script, id, ct)); }
                catch (CloudflareApiException ex) when (IsTailGone(ex))
                {
                    // Expired or stopped by another process: nothing is left to stop, but the id given was not active.
                    WriteError(ApiErrorMapper.ToErrorRecord(ex, id, ErrorIds.TailNotFound,
                        $"Worker '{script}' has no active tail {id} (it expired or was stopped already). Get-CfTail -Script {script} lists the active ones."));
                }
                catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); }
            }
        }

        /// <summary>A 404 about the tail itself; Cloudflare's 10007/10090 (no such script) stay WorkerScriptNotFound.</summary>
        private static bool IsTailGone(CloudflareApiException ex) =>
            ex.StatusCode == System.Net.HttpStatusCode.NotFound && !ex.HasCode(10007) && !ex.HasCode(10090);
    }
}
