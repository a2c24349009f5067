using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Model;

namespace CfManagement.Secrets
{
    /// <summary>
    /// The last resort for a value that exists nowhere else: when Ctrl+C has stopped the pipeline (so nothing can be
    /// output or written as an error) and the destination could not take the value, it is kept, as a SecureString
    /// inside a CfTokenCredential, in the global variable $CfRescuedCredentials of the caller's session.
    /// </summary>
    internal static class RescuedCredentials
    {
        public const string VariableName = "CfRescuedCredentials";

        public static void Keep(PSCmdlet cmdlet, CfTokenCredential credential)
        {
            var existing = cmdlet.SessionState.PSVariable.GetValue("global:" + VariableName) as List<CfTokenCredential>;
            var list = existing ?? new List<CfTokenCredential>();
            list.Add(credential);
            if (existing == null) cmdlet.SessionState.PSVariable.Set("global:" + VariableName, list);
        }
    }
}
