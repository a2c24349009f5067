using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CfManagement.Bench;

/// <summary>Runs PowerShell text in the bench's hosted runspace (CfManagement imported, a session connected).</summary>
public static class HostedScript
{
    /// <summary>The first output object (unwrapped), or null; any error record fails the run.</summary>
    public static object? Invoke(Runspace runspace, string script)
    {
        var result = Run(runspace, script, out var errors);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        return result.Count > 0 ? result[0]?.BaseObject : null;
    }

    /// <summary>Every output object, and the error records written (not thrown): scenarios that count what reached the user.</summary>
    public static IReadOnlyList<PSObject> Run(Runspace runspace, string script, out IReadOnlyList<ErrorRecord> errors)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var result = ps.AddScript(script).Invoke();
        errors = ps.Streams.Error.ToList();
        return result;
    }

    /// <summary>A hashtable NAME = SecureString in the runspace's global variable <paramref name="variable"/>, built in C# (untimed set-up).</summary>
    public static void SetSecretTable(Runspace runspace, string variable, IEnumerable<(string Name, string Value)> secrets)
    {
        var table = new System.Collections.Hashtable(StringComparer.Ordinal);
        foreach (var (name, value) in secrets)
        {
            var secure = new System.Security.SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            table[name] = secure;
        }
        runspace.SessionStateProxy.SetVariable(variable, table);
    }
}
