using System.Management.Automation;

namespace CfManagement.Bench.EmptyModule
{
    /// <summary>Does nothing: it exists so that the baseline module has a cmdlet for PowerShell to reflect over.</summary>
    [Cmdlet(VerbsCommon.Get, "BenchNothing")]
    public sealed class GetBenchNothingCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(0);
    }
}
