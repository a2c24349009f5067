using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CfManagement.Secrets
{
    /// <summary>
    /// The last resort for a value that exists nowhere else: when Ctrl+C has stopped the pipeline (so nothing can be
    /// output or written as an error) and the destination could not take the value, it is kept, as a SecureString
    /// inside a CfTokenCredential (API token) or a CfAccessServiceTokenCredential (Access service token), in the
    /// global variable $CfRescuedCredentials of the caller's session.
    /// </summary>
    internal static class RescuedCredentials
    {
        public const string VariableName = "CfRescuedCredentials";

        public static void Keep(PSCmdlet cmdlet, object credential)
        {
            var existing = cmdlet.SessionState.PSVariable.GetValue("global:" + VariableName);
            // A list a script assigned from a cmdlet's output (New-Object) is held wrapped in a PSObject.
            if (existing is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject)) existing = wrapped.BaseObject;
            if (existing is List<object> list)
            {
                list.Add(credential);
                return;
            }
            // A list from an older module version (typed) or one the caller replaced: keep what it holds, then add.
            var kept = new List<object>();
            if (existing is IEnumerable items && !(existing is string)) foreach (var item in items) kept.Add(item);
            kept.Add(credential);
            cmdlet.SessionState.PSVariable.Set("global:" + VariableName, kept);
        }
    }
}
