using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.SecretSets;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Makes a Worker's secrets equal a .env/.dev.vars/JSON file: adds and overwrites what differs, and with -Prune deletes what the file lacks. A second run changes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CfWorkerSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class SyncCfWorkerSecretCommand : WorkerSecretWriteCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("WorkerScript", "ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? Script { get; set; }

        /// <summary>The file that holds the wanted secrets.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string? Path { get; set; }

        /// <summary>Also delete the Worker's secret_text secrets the file does not name.</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        protected override bool PruneMissing => Prune.IsPresent;
        protected override string Activity => "Syncing Worker secrets";

        protected override void ProcessCfRecord() => AddFile(Script ?? "", Path!);
    }
}
