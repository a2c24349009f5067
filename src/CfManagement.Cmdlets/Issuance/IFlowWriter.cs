using System.Management.Automation;

namespace CfManagement.Issuance
{
    /// <summary>
    /// The caller's streams as a flow sees them. Every method returns false when the message was not delivered (the
    /// pipeline is stopping): a flow whose error carries a value must then keep the value another way.
    /// </summary>
    internal interface IFlowWriter
    {
        bool Verbose(string text);
        bool Warning(string text);
        bool Error(ErrorRecord record);
        bool Output(object value);
    }
}
