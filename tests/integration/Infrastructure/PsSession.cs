using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// A real PowerShell runspace (System.Management.Automation 7.6.9, in process) with the BUILT module imported from
/// out/CfManagement, driven the way a user drives it: scripts, pipelines, variables, -Verbose/-Debug.
/// </summary>
public sealed class PsSession : IDisposable
{
    public RecordingHost Host { get; } = new();
    public Runspace Runspace { get; }

    public PsSession(bool importModule = true)
    {
        var state = InitialSessionState.CreateDefault2();
        Runspace = RunspaceFactory.CreateRunspace(Host, state);
        Runspace.Open();
        if (importModule)
        {
            var result = Run("Import-Module -Name $args[0] -ErrorAction Stop", args: [RepoPaths.ModuleManifest]);
            if (result.Terminating != null || result.Errors.Count > 0)
                throw new InvalidOperationException("Import-Module failed: " + (result.Terminating?.ToString() ?? string.Join("; ", result.Errors.Select(e => e.Exception.ToString()))));
        }
    }

    public void Set(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

    public object? Get(string name) => Runspace.SessionStateProxy.GetVariable(name);

    public static SecureString Secure(string plain)
    {
        var s = new SecureString();
        foreach (var c in plain) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    /// <summary>Runs a script; a terminating error is captured, not thrown.</summary>
    public PsResult Run(string script, IDictionary? variables = null, object[]? args = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        if (variables != null)
            foreach (DictionaryEntry v in variables) Set((string)v.Key, v.Value);
        ps.AddScript(script);
        foreach (var a in args ?? []) ps.AddArgument(a);
        return Invoke(ps);
    }

    /// <summary>Runs a script, then renders its output through Out-Default into the recording host (format views).</summary>
    public string Render(string script)
    {
        Host.ClearText();
        // Wrapped in a script block so every statement of a multi-statement script is rendered, not just the last one.
        var result = Run("& {\n" + script + "\n} | Out-Default");
        if (result.Terminating != null) throw result.Terminating;
        // Table headers carry ANSI styling; the assertions are about the text.
        return System.Text.RegularExpressions.Regex.Replace(Host.Text, "\x1b\\[[0-9;]*m", "");
    }

    public PsResult Invoke(PowerShell ps)
    {
        Exception? terminating = null;
        var output = new List<PSObject>();
        try
        {
            output.AddRange(ps.Invoke());
        }
        catch (Exception ex) when (ex is RuntimeException or PipelineStoppedException or ActionPreferenceStopException or CmdletInvocationException)
        {
            terminating = ex;
        }
        return PsResult.Collect(ps, output, Host.Text, terminating);
    }

    public void Dispose() => Runspace.Dispose();
}
