using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace CfManagement.Tests.Cmdlets.Tail;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TailMemoryCollection
{
    /// <summary>Alone in the process while it measures memory (no other test's allocations in the numbers).</summary>
    public const string Name = "Tail memory";
}

/// <summary>
/// Memory stays bounded when the pipeline is far slower than a 20,000 events/s stream: the queue between socket and
/// pipeline holds at most -QueueCapacity events and the rest are dropped and counted. The emulator runs in this
/// process too, so the numbers include its side (its per-tail queue is bounded as well). The stream runs until
/// <see cref="Streamed"/> events went through the socket (however fast this machine manages), then Ctrl+C stops it.
/// Measured on a loaded 2-core box: about 25 MB of live growth bounded, and about 1.7 KB per event held when a queue
/// big enough for the whole stream buffers it (the control test), so 60,000 events buffered would be about 100 MB.
/// </summary>
[Collection(TailMemoryCollection.Name)]
public class TailMemoryTests(ITestOutputHelper output) : TailTestBase
{
    private const long ManagedBound = 64L * 1024 * 1024;
    private const long WorkingSetBound = 256L * 1024 * 1024;
    private const long Streamed = 60_000;

    [Fact]
    public async Task A_pipeline_slower_than_20000_events_a_second_keeps_memory_under_a_fixed_bound()
    {
        var run = await StreamFasterThanThePipelineAsync("");
        Assert.True(run.Streamed >= Streamed, $"only {run.Streamed} events streamed in the time allowed");
        Assert.True(run.Dropped >= run.Streamed / 2, $"{run.Dropped} of {run.Streamed} dropped: the pipeline was not slower than the stream");
        Assert.True(run.PeakManaged < ManagedBound, $"live managed memory grew {run.PeakManaged / 1048576.0:0.0} MB (bound {ManagedBound / 1048576} MB)");
        Assert.True(run.PeakWorkingSet < WorkingSetBound, $"working set grew {run.PeakWorkingSet / 1048576.0:0.0} MB (bound {WorkingSetBound / 1048576} MB)");
    }

    /// <summary>The same stream with a queue that can hold all of it: the bound is broken, so the test above can fail.</summary>
    [Fact]
    public async Task Control_a_queue_big_enough_to_buffer_the_stream_breaks_the_bound()
    {
        var run = await StreamFasterThanThePipelineAsync("-QueueCapacity 1000000");
        Assert.True(run.Streamed >= Streamed, $"only {run.Streamed} events streamed in the time allowed");
        Assert.True(run.PeakManaged >= ManagedBound, $"live managed memory grew only {run.PeakManaged / 1048576.0:0.0} MB with the whole stream buffered");
    }

    private async Task<(long Streamed, long Dropped, long PeakManaged, long PeakWorkingSet)> StreamFasterThanThePipelineAsync(string extra)
    {
        await PrepareAsync("api");
        using var watch = new TailWatch(Emulator);
        var process = Process.GetCurrentProcess();
        var baseManaged = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var baseWorkingSet = process.WorkingSet64;
        long peakManaged = 0, peakWorkingSet = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // A full collection each second: what is measured is what is still referenced, not garbage.
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: true) - baseManaged);
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64 - baseWorkingSet);
                try { await Task.Delay(1000, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript($"Start-CfTail -Script api {extra} | ForEach-Object {{ Start-Sleep -Milliseconds 1 }}");
        var clock = Stopwatch.StartNew();
        var running = ps.BeginInvoke();
        long streamed = 0;
        try
        {
            await watch.WaitConnectedAsync("api");
            await AdminAsync("generate", new { target = "api", count = 2_000_000, eventsPerSecond = 20_000, kind = "fetch" });
            while (clock.Elapsed < TimeSpan.FromSeconds(45) && !running.IsCompleted)
            {
                streamed = watch.Tails("api").Select(t => t.Delivered).DefaultIfEmpty(0).Max();
                if (streamed >= Streamed) break;
                await Task.Delay(100);
            }
            // one more sample at the peak, before Ctrl+C lets everything go
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: true) - baseManaged);
        }
        finally
        {
            ps.Stop(); // Ctrl+C
            clock.Stop();
            await AdminAsync("stop-generating", new { });
            sampling.Cancel();
            await sampler;
        }
        Assert.True(running.IsCompleted);
        Assert.Empty(ps.Streams.Error);
        var dropped = ps.Streams.Warning.Select(w => Regex.Match(w.Message, @"\((\d+) in all\)")).Where(m => m.Success)
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        output.WriteLine($"{streamed} events streamed in {clock.Elapsed.TotalSeconds:0.0} s ({streamed / clock.Elapsed.TotalSeconds:0}/s), {dropped} dropped; " +
            $"peak live managed growth {peakManaged / 1048576.0:0.0} MB, peak working set growth {peakWorkingSet / 1048576.0:0.0} MB");
        Assert.Empty(Tails.All());
        return (streamed, dropped, peakManaged, peakWorkingSet);
    }
}
