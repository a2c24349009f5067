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
        public bool Warning(string text) => Try(() => _cmdlet.WriteWarning(text));
        public bool Error(ErrorRecord record) => Try(() => _cmdlet.WriteError(record));
        public bool Output(object value) => Try(() => _cmdlet.WriteObject(value));

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
