using System;
using System.Management.Automation;

namespace CfManagement.Issuance
{
    /// <summary>Writes to a cmdlet's streams while the pipeline runs; once it is stopping, drops the message and says so.</summary>
    internal sealed class CmdletFlowWriter : IFlowWriter
    {
        private readonly Cmdlet _cmdlet;

        public CmdletFlowWriter(Cmdlet cmdlet) => _cmdlet = cmdlet;

        public bool Verbose(string text) => Try(() => _cmdlet.WriteVerbose(text));
        public bool Warning(string text) => Try(() => WarnEvenUnderDebug(text));
        public bool Error(ErrorRecord record) => Try(() => _cmdlet.WriteError(record));
        public bool Output(object value) => Try(() => _cmdlet.WriteObject(value));

        /// <summary>
        /// Under -Debug PowerShell raises a compiled cmdlet's warning preference to Inquire, so WriteWarning writes the
        /// warning and then prompts; a host that cannot prompt (-NonInteractive, a runbook, CI) throws. The warning is
        /// already written by then, and a credential flow must not fail over a prompt nobody can answer, so that
        /// failure is absorbed. A choice to halt (ActionPreferenceStopException) and a stop still end the flow.
        /// </summary>
        private void WarnEvenUnderDebug(string text)
        {
            try
            {
                _cmdlet.WriteWarning(text);
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is ActionPreferenceStopException) && IsPromptFailure(e))
            {
            }
        }

        private static bool IsPromptFailure(Exception e) =>
            // NonInteractive pwsh: PSInvalidOperationException; hosts without a UI: HostException or NotImplementedException.
            e is InvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException;

        private bool Try(Action write)
        {
            if (_cmdlet.Stopping) return false;
            try
            {
                write();
                return true;
            }
            catch (PipelineStoppedException)
            {
                return false; // the stop came between the check and the write
            }
        }
    }
}
