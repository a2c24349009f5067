using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>Start-CfTail against the emulator's trace-v1 socket: filters reach the server, order, no loss, and every exit deletes the tail.</summary>
public class StartCfTailTests : CmdletTestBase
{
    private WorkerUploads Uploads => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorTails Tails => new(Emulator);

    private Task AdminAsync(string path, object body) => Tails.PostAsync(path, body);

    /// <summary>Once <paramref name="tails"/> tails are connected, generates <paramref name="count"/> events for each target (on the thread pool while the command runs).</summary>
    private Task GenerateWhenConnected(int count, params string[] targets) => Task.Run(async () =>
    {
        var watch = Stopwatch.StartNew();
        while (Tails.All().Count(t => t.Connected) < targets.Length)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) return;
            await Task.Delay(20);
        }
        foreach (var target in targets) await AdminAsync("generate", new { target, count, kind = "fetch" });
    });

    private static int Seq(PSObject e) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match((string)PSObject.AsPSObject(e.Properties["Request"].Value).Properties["Url"].Value, @"seq=(\d+)").Groups[1].Value);

    [Fact]
    public async Task First_takes_events_in_order_and_deletes_the_tail()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        var generating = GenerateWhenConnected(2000, "api");
        var result = Ps.Run("Start-CfTail -Script api -First 500 -Duration 00:00:30");
        await generating;
        result.AssertNoErrors();
        Assert.True(500 == result.Output.Count, $"{result.Output.Count} events; warnings: " + string.Join(" | ", result.Warnings));
        var seqs = result.Output.Select(Seq).ToList();
        Assert.Equal(Enumerable.Range(seqs[0], 500), seqs); // in order, none lost, none twice
        Assert.Equal("api", result.Output[0].Properties["ScriptName"].Value);
        Assert.Empty(Tails.All());
        Assert.Single(Emulator.Requests, r => r.Method == "DELETE" && r.Path.Contains("/tails/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Downstream_stop_deletes_every_tail_and_events_are_tagged_with_their_script()
    {
        await Uploads.UploadScriptAsync("api");
        await Uploads.UploadScriptAsync("web");
        ConnectOrFail();
        var generating = GenerateWhenConnected(100, "api", "web");
        var result = Ps.Run("'api','web' | Start-CfTail -Duration 00:00:30 | Select-Object -First 150");
        await generating;
        result.AssertNoErrors();
        Assert.Equal(150, result.Output.Count);
        Assert.Equal(["api", "web"], result.Output.Select(e => (string)e.Properties["ScriptName"].Value).Distinct().Order());
        Assert.Empty(Tails.All());
        Assert.Equal(2, Emulator.Requests.Count(r => r.Method == "DELETE" && r.Path.Contains("/tails/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ctrl_C_stops_promptly_and_deletes_the_tail()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        var generating = GenerateWhenConnected(100000, "api");
        AssertCtrlCStopsPromptly("Start-CfTail -Script api | Out-Null", TimeSpan.FromSeconds(2));
        await generating;
        Assert.Contains(Emulator.Requests, r => r.Method == "POST" && r.Path.EndsWith("/tails", StringComparison.Ordinal));
        Assert.Empty(Tails.All());
        Assert.Single(Emulator.Requests, r => r.Method == "DELETE" && r.Path.Contains("/tails/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Filters_reach_the_server_and_Duration_ends_the_tail()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        var watch = Stopwatch.StartNew();
        var result = Ps.Run("Start-CfTail -Script api -Status error -Method post -Header 'X-Debug: 1' -ClientIp self -Search boom -SamplingRate 0.5 -Duration 00:00:01");
        result.AssertNoErrors();
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var create = Emulator.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/tails", StringComparison.Ordinal));
        Assert.Equal("""{"filters":[{"sampling_rate":0.5},{"outcome":["exception","exceededCpu","exceededMemory","unknown"]},{"method":["POST"]},{"header":{"key":"X-Debug","query":"1"}},{"client_ip":["self"]},{"query":"boom"}]}""", create.Body);
        Assert.Empty(Tails.All());
    }
}
