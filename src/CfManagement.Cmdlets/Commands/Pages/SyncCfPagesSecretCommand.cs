using System.Management.Automation;
using CfManagement.SecretSets;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Makes a Pages environment's secrets equal a .env/.dev.vars/JSON file: adds and overwrites what differs, and with -Prune deletes the secrets the file lacks. A second run changes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CfPagesSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class SyncCfPagesSecretCommand : PagesSecretWriteCmdlet
    {
        /// <summary>The file that holds the wanted secrets.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string? Path { get; set; }

        /// <summary>Also delete the environment's secret_text variables the file does not name (plain_text ones are never pruned).</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        protected override bool PruneMissing => Prune.IsPresent;
        protected override string Activity => "Syncing Pages secrets";

        protected override void ProcessCfRecord() => AddFile(Path!);
    }
}
