using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Sessions;

namespace CfManagement.Commands.Session
{
    /// <summary>
    /// <para type="synopsis">Disconnects: forgets the runspace's session (or the one given) and wipes its token from memory.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "CfAccount")]
    [OutputType(typeof(void))]
    public sealed class DisconnectCfAccountCommand : CfCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public CfSession? Session { get; set; }

        protected override void ProcessCfRecord()
        {
            var current = SessionStore.Get();
            if (Session == null || ReferenceEquals(Session, current))
            {
                var removed = SessionStore.Remove();
                removed?.Dispose();
                WriteVerbose(removed == null ? "No session to disconnect." : $"Disconnected {removed}.");
            }
            if (Session != null && !Session.IsDisposed)
            {
                Session.Dispose();
                WriteVerbose($"Disconnected {Session}.");
            }
        }
    }
}
