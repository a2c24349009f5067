using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Sessions;

namespace CfManagement.Commands.Session
{
    /// <summary>
    /// <para type="synopsis">Gets this runspace's current Cloudflare session, if any.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfSession")]
    [OutputType(typeof(CfSession))]
    public sealed class GetCfSessionCommand : CfCmdlet
    {
        protected override void ProcessCfRecord()
        {
            var session = SessionStore.Get();
            if (session != null) WriteObject(session);
            else WriteVerbose("Not connected: run Connect-CfAccount.");
        }
    }
}
