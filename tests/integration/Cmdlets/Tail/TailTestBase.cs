using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>What the tail reliability tests share: a Worker to tail, the emulator's tail controls, and reading events.</summary>
public abstract class TailTestBase : CmdletTestBase
{
    private protected EmulatorTails Tails => new(Emulator);

    protected Task AdminAsync(string path, object body) => Tails.PostAsync(path, body);

    /// <summary>Uploads the scripts and connects the runspace.</summary>
    protected async Task PrepareAsync(params string[] scripts)
    {
        var uploads = new WorkerUploads(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);
        foreach (var script in scripts) await uploads.UploadScriptAsync(script);
        ConnectOrFail();
    }

    /// <summary>The emulator's sequence number of an event: its first log line is "request #n" or "run #n".</summary>
    protected static long Seq(PSObject e)
    {
        var logs = (System.Collections.IEnumerable)e.Properties["Logs"].Value;
        var first = PSObject.AsPSObject(logs.Cast<object>().First());
        return long.Parse(Regex.Match((string)first.Properties["Message"].Value, @"#(\d+)").Groups[1].Value);
    }

    protected static string Script(PSObject e) => (string)e.Properties["ScriptName"].Value;

    protected IReadOnlyList<global::CfManagement.Emulator.RecordedRequest> TailCreations(string script) =>
        Emulator.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith($"/workers/scripts/{script}/tails", StringComparison.Ordinal)).ToList();

    protected IReadOnlyList<string> DeletedTailIds(string script) =>
        Emulator.Requests.Where(r => r.Method == "DELETE" && r.Path.Contains($"/workers/scripts/{script}/tails/", StringComparison.Ordinal))
            .Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..]).ToList();

    /// <summary>Each created tail was deleted exactly once, and none is left at the emulator (<paramref name="refused"/>: POSTs the emulator refused).</summary>
    private protected void AssertEveryTailDeletedOnce(TailWatch watch, string script, int refused = 0)
    {
        var deleted = DeletedTailIds(script);
        var created = TailCreations(script).Count;
        Assert.True(deleted.Count == deleted.Distinct().Count(), "a tail deleted twice: " + string.Join(", ", deleted));
        Assert.True(created - refused == deleted.Count, $"{created} POSTs ({refused} refused), {deleted.Count} DELETEs");
        foreach (var seen in watch.Tails(script)) Assert.Contains(seen.Id, deleted);
        Assert.Empty(Tails.All());
    }

    protected static string Warnings(PsResult result) => string.Join(" | ", result.Warnings.Select(w => w.Message));
}
