using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CfManagement.Emulator;

namespace CfManagement.Bench;

/// <summary>
/// g. Events per second from the tail socket to the PowerShell pipeline: <c>Start-CfTail -First N -Backpressure Block</c>
/// in the hosted runspace, its output counted by the host as the pipeline adds it (PSDataCollection.DataAdded),
/// against the floor, a bare ClientWebSocket reader on the same emulator socket (trace-v1, sends {"debug":false})
/// that only parses each message with JsonDocument. A third arm
/// reads the same socket and only counts messages (no parse): the ceiling of the emulator (generator + socket) on
/// this machine, so the run shows whether the generator, rather than the readers, is the bottleneck. A fourth arm pipes
/// the same command into Measure-Object, to show what a downstream cmdlet (PowerShell's per-object parameter binding)
/// adds; that cost is PowerShell's, not the module's, and is what a user's pipeline pays anyway.
/// Each sample gets a fresh Worker script (added untimed), so no tail of an earlier sample can receive its events.
/// Every arm connects untimed; the clock starts when the emulator is asked to generate N events as fast as the socket
/// takes them (unpaced, the same for every arm) and stops when the reader has its N-th event: for the module, when
/// the pipeline returns, i.e. including its own tail deletion and socket close (a few ms). Block, not the default
/// Drop, so every one of the N generated events must reach the pipeline (the count is checked).
/// </summary>
public static class TailThroughputScenario
{
    public static IReadOnlyList<Comparison> Run(CloudflareEmulator emulator, Runspace runspace, HttpClient http, InterleavedRunner runner,
        List<string> notes, int eventCount)
    {
        var accountId = emulator.State.AccountId;
        var sample = 0;
        var samples = runner.Run("g. tail throughput",
            () => ModuleArm(runspace, http, NewScript(emulator, "module", ++sample), eventCount, "module.tail", measureObject: false),
            () => ModuleArm(runspace, http, NewScript(emulator, "measure", ++sample), eventCount, "measure.tail", measureObject: true),
            () => RawArm(http, accountId, NewScript(emulator, "raw", ++sample), eventCount, "raw.tail", parse: true),
            () => RawArm(http, accountId, NewScript(emulator, "socket", ++sample), eventCount, "socket.tail", parse: false));

        var comparisons = new List<Comparison>
        {
            // Time for the same N events: module/floor <= 1.25 is throughput >= 0.8x the floor's.
            Comparison.Of(samples, $"g. Start-CfTail -First {eventCount:N0} -Backpressure Block, the host counts (hosted runspace)", "ClientWebSocket + JsonDocument", "raw.tail", "module.tail", 1.25),
            Comparison.Of(samples, "g. the same, process CPU time (incl. emulator)", "ClientWebSocket + JsonDocument", "raw.tail.cpu", "module.tail.cpu", 1.25),
            Comparison.Of(samples, "g. ... | Measure-Object (a downstream cmdlet) instead", "ClientWebSocket + JsonDocument", "raw.tail", "measure.tail", null),
            Comparison.Of(samples, "g. floor (parse) vs socket only (no parse)", "ClientWebSocket, count only", "socket.tail", "raw.tail", null),
        };
        var perRound = samples["raw.tail"].Zip(samples["module.tail"], (r, m) => r / m).ToList();
        notes.Add($"g. events/s, median (p25-p75): Start-CfTail {Rate(samples["module.tail"], eventCount)}; Start-CfTail | Measure-Object {Rate(samples["measure.tail"], eventCount)}; " +
                  $"floor {Rate(samples["raw.tail"], eventCount)}; socket only {Rate(samples["socket.tail"], eventCount)}. Throughput Start-CfTail/floor: " +
                  $"{F(Comparison.Percentile(samples["raw.tail"], 0.5) / Comparison.Percentile(samples["module.tail"], 0.5))}x (per round {F(Comparison.Percentile(perRound, 0.5))}x, " +
                  $"IQR {F(Comparison.Percentile(perRound, 0.25))}-{F(Comparison.Percentile(perRound, 0.75))}); goal >= 0.8x.");
        return comparisons;
    }

    /// <summary>
    /// Start-CfTail in the hosted runspace, connected untimed; times generate + the pipeline until it returns. The host
    /// counts what reaches the end of the pipeline, or Measure-Object counts it.
    /// </summary>
    private static IReadOnlyDictionary<string, double> ModuleArm(Runspace runspace, HttpClient http, string script,
        int eventCount, string metric, bool measureObject)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand("Start-CfTail").AddParameter("Script", script).AddParameter("First", eventCount).AddParameter("Backpressure", "Block");
        if (measureObject) ps.AddCommand("Measure-Object");
        // The host's consumer: counts each object as the pipeline adds it and empties the collection every 1,000, so
        // it keeps almost nothing (DataAdded runs on the pipeline thread, after the add).
        var output = new PSDataCollection<PSObject>();
        long counted = 0;
        PSObject? last = null;
        output.DataAdded += (_, added) =>
        {
            counted++;
            last = output[added.Index];
            if (counted % 1000 == 0) output.Clear();
        };
        var running = ps.BeginInvoke((PSDataCollection<PSObject>?)null, output);
        try { EmulatorTails.WaitForConnectedTail(http, script, () => running.IsCompleted, TimeSpan.FromSeconds(30)); }
        catch (InvalidOperationException) when (running.IsCompleted)
        {
            ps.EndInvoke(running); // rethrows a terminating error
            throw new InvalidOperationException("g: Start-CfTail ended before its tail connected: " + string.Join("; ", ps.Streams.Error));
        }
        var timing = InterleavedRunner.Timed(metric, () =>
        {
            EmulatorTails.Generate(http, script, eventCount);
            ps.EndInvoke(running);
        })();
        if (ps.Streams.Error.Count > 0) throw new InvalidOperationException("g: " + string.Join("; ", ps.Streams.Error));
        if (measureObject) counted = Convert.ToInt64(last!.Properties["Count"].Value, CultureInfo.InvariantCulture);
        Check(counted, eventCount, measureObject ? "Start-CfTail | Measure-Object" : "Start-CfTail");
        return timing;
    }

    private static string NewScript(CloudflareEmulator emulator, string arm, int sample)
    {
        var script = $"bench-g-{arm}-{sample}";
        emulator.State.AddWorkerScript(script);
        return script;
    }

    /// <summary>Creates a tail over the API and connects to its socket untimed; times generate + read N (+ parse).</summary>
    private static IReadOnlyDictionary<string, double> RawArm(HttpClient http, string accountId, string script, int eventCount, string metric, bool parse)
    {
        using var created = JsonDocument.Parse(EmulatorTails.Send(http, HttpMethod.Post, $"accounts/{accountId}/workers/scripts/{script}/tails", "{}"));
        var tail = created.RootElement.GetProperty("result");
        var id = tail.GetProperty("id").GetString()!;
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("trace-v1");
        socket.ConnectAsync(new Uri(tail.GetProperty("url").GetString()!), CancellationToken.None).GetAwaiter().GetResult();
        socket.SendAsync(Encoding.UTF8.GetBytes("{\"debug\":false}"), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        EmulatorTails.WaitForConnectedTail(http, script, () => false, TimeSpan.FromSeconds(30));
        long received = 0;
        var timing = InterleavedRunner.Timed(metric, () =>
        {
            EmulatorTails.Generate(http, script, eventCount);
            received = ReadAsync(socket, eventCount, parse).GetAwaiter().GetResult();
        })();
        socket.Abort();
        EmulatorTails.Send(http, HttpMethod.Delete, $"accounts/{accountId}/workers/scripts/{script}/tails/{id}", null);
        Check(received, eventCount, parse ? "raw reader" : "socket-only reader");
        return timing;
    }

    private static async Task<long> ReadAsync(ClientWebSocket socket, int eventCount, bool parse)
    {
        var buffer = new byte[16 * 1024];
        long count = 0;
        while (count < eventCount)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return count;
                length += result.Count;
            } while (!result.EndOfMessage);
            if (parse)
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("a tail message is not a JSON object");
            }
            count++;
        }
        return count;
    }

    private static void Check(long actual, int expected, string who)
    {
        if (actual != expected) throw new InvalidOperationException($"g ({who}): {actual} events, expected {expected}");
    }

    private static string Rate(IReadOnlyList<double> ms, int eventCount) =>
        $"{eventCount / Comparison.Percentile(ms, 0.5) * 1000:N0} ({eventCount / Comparison.Percentile(ms, 0.75) * 1000:N0}-{eventCount / Comparison.Percentile(ms, 0.25) * 1000:N0})";

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
