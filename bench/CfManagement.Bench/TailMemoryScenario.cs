using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using CfManagement.Emulator;

namespace CfManagement.Bench;

/// <summary>
/// h. Peak working set of a real pwsh (the repo's dotnet tool, 7.6.9) while N events (1,000,000 by default) stream
/// through <c>Start-CfTail -First N -Backpressure Block | Measure-Object</c>, against the same process idle: module
/// imported, session connected, nothing running. Sampled from outside, from /proc/&lt;pid&gt;/status of the pwsh
/// process itself (its PID is printed by the script, since <c>dotnet pwsh</c> runs it as a child of the dotnet CLI):
/// VmRSS and VmHWM once idle, VmHWM (the kernel's peak resident set, what Process.PeakWorkingSet64 reads) once the
/// pipeline has counted every event. In between, a 1,000-event run (same command) and a third sample: what is loaded
/// once, apart from what the stream holds. The script waits on stdin at each of the three points, so the samples are taken while the
/// process is alive and still. Block, so every generated event goes through the pipeline (the count is checked) and
/// -First N ends the run by itself; the emulator generates unpaced (as fast as the socket takes them).
/// Each sample is a fresh process and a fresh Worker script; no warm-up (nothing carries over between processes).
/// One sample by default (--tail-memory-rounds): a peak is far steadier than a time, and a sample takes minutes.
/// </summary>
public static class TailMemoryScenario
{
    private const double GoalMegabytes = 150;
    /// <summary>A first, short run in the same process before the measured one: it separates the one-time cost (code
    /// loaded and compiled, Measure-Object's module imported, threads started) from what streaming itself holds.</summary>
    private const int WarmupEvents = 1000;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public static void Run(CloudflareEmulator emulator, string repoRoot, string manifest, Func<string, string, string> writeScript,
        int rounds, List<string> notes, int eventCount, int? queueCapacity = null)
    {
        var secret = emulator.State.AdminTokenValue;
        var script = writeScript("tail-memory.ps1", """
            $queue = if ($env:BENCH_TAIL_QUEUE) { @{ QueueCapacity = [int]$env:BENCH_TAIL_QUEUE } } else { @{} }
            Import-Module $env:BENCH_MODULE
            Connect-CfAccount -FromEnvironment | Out-Null
            "BENCH-IDLE $PID"
            $null = [Console]::In.ReadLine()
            $warm = (Start-CfTail -Script $env:BENCH_TAIL_SCRIPT -First $env:BENCH_TAIL_WARMUP -Backpressure Block @queue | Measure-Object).Count
            "BENCH-WARM $warm"
            $null = [Console]::In.ReadLine()
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $count = (Start-CfTail -Script $env:BENCH_TAIL_SCRIPT -First ([int]$env:BENCH_TAIL_EVENTS) -Backpressure Block @queue | Measure-Object).Count
            $gc = [GC]::GetGCMemoryInfo()
            "BENCH-DONE $count " + $sw.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture) +
                " $([GC]::CollectionCount(0)) $([GC]::CollectionCount(1)) $([GC]::CollectionCount(2)) " + ($gc.TotalCommittedBytes / 1MB).ToString('0.0', [cultureinfo]::InvariantCulture)
            $null = [Console]::In.ReadLine()
            """);
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var idleRss = new List<double>();
        var idlePeak = new List<double>();
        var warmRss = new List<double>();
        var warmPeak = new List<double>();
        var peak = new List<double>();
        var rates = new List<double>();
        var gcs = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            Console.Error.Write($"\r  h. tail memory: round {round + 1}/{rounds}   ");
            var target = $"bench-h-{round + 1}";
            emulator.State.AddWorkerScript(target);
            var sample = RunOnce(emulator, http, repoRoot, manifest, secret, script, target, eventCount, queueCapacity);
            idleRss.Add(sample.IdleRss);
            idlePeak.Add(sample.IdlePeak);
            warmRss.Add(sample.WarmRss);
            warmPeak.Add(sample.WarmPeak);
            peak.Add(sample.Peak);
            rates.Add(eventCount / sample.Milliseconds * 1000);
            gcs.Add($"{sample.Collections} collections (gen0/1/2), {F(sample.Committed)} MB committed by the GC at the end");
        }
        Console.Error.WriteLine();
        var median = Comparison.Percentile(peak, 0.5);
        notes.Add($"h. peak working set (VmHWM) of pwsh streaming {eventCount:N0} events through Start-CfTail -First {eventCount} -Backpressure Block | Measure-Object: " +
                  $"**{Mb(peak)} MB** median (p25-p75), goal < {GoalMegabytes:0} MB, {(median < GoalMegabytes ? "met" : "MISSED")}; " +
                  $"same process idle (module imported, connected): VmRSS {Mb(idleRss)} MB, VmHWM so far {Mb(idlePeak)} MB; " +
                  $"growth over idle {F(median - Comparison.Percentile(idleRss, 0.5))} MB; after a {WarmupEvents:N0}-event warm-up run in the same process (code loaded, " +
                  $"threads started): VmRSS {Mb(warmRss)} MB, VmHWM {Mb(warmPeak)} MB, so streaming {eventCount:N0} events added {F(median - Comparison.Percentile(warmPeak, 0.5))} MB to the peak; {Rate(rates)} events/s in pwsh; {string.Join("; ", gcs)}; " +
                  $"{rounds} fresh process(es){(queueCapacity is { } q ? $", -QueueCapacity {q}" : ", default -QueueCapacity (4096)")}.");
    }

    /// <param name="Collections">gen0/gen1/gen2 collection counts of the child at the end; <paramref name="Committed"/> its GC-committed MB.</param>
    private sealed record Sample(double IdleRss, double IdlePeak, double WarmRss, double WarmPeak, double Peak, double Milliseconds, string Collections, double Committed);

    private static Sample RunOnce(CloudflareEmulator emulator, HttpClient http, string repoRoot, string manifest, string secret,
        string scriptPath, string target, int eventCount, int? queueCapacity)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot, // where .config/dotnet-tools.json pins pwsh
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", scriptPath }) start.ArgumentList.Add(arg);
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["CLOUDFLARE_API_TOKEN"] = secret;
        start.Environment["CLOUDFLARE_ACCOUNT_ID"] = emulator.State.AccountId;
        start.Environment["CLOUDFLARE_API_BASE_URL"] = emulator.BaseUri.ToString();
        start.Environment["BENCH_MODULE"] = manifest;
        start.Environment["BENCH_TAIL_SCRIPT"] = target;
        start.Environment["BENCH_TAIL_EVENTS"] = eventCount.ToString(CultureInfo.InvariantCulture);
        start.Environment["BENCH_TAIL_WARMUP"] = WarmupEvents.ToString(CultureInfo.InvariantCulture);
        if (queueCapacity is { } capacity) start.Environment["BENCH_TAIL_QUEUE"] = capacity.ToString(CultureInfo.InvariantCulture);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet pwsh");
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + Limit;
        try
        {
            var idle = ReadMarker(process, "BENCH-IDLE", deadline, stderr, secret);
            var pid = int.Parse(idle[0], CultureInfo.InvariantCulture);
            Thread.Sleep(1000); // let import and connect settle (background JIT, finalizers) before the idle sample
            var (idleRss, idlePeak) = Status(pid);
            process.StandardInput.WriteLine();
            process.StandardInput.Flush();
            EmulatorTails.WaitForConnectedTail(http, target, () => process.HasExited, TimeSpan.FromSeconds(60));
            EmulatorTails.Generate(http, target, WarmupEvents);
            var warm = ReadMarker(process, "BENCH-WARM", deadline, stderr, secret);
            if (long.Parse(warm[0], CultureInfo.InvariantCulture) != WarmupEvents)
                throw new InvalidOperationException($"h: the warm-up counted {warm[0]} events, expected {WarmupEvents}");
            Thread.Sleep(1000);
            var (warmRss, warmPeak) = Status(pid);
            process.StandardInput.WriteLine();
            process.StandardInput.Flush();
            EmulatorTails.WaitForConnectedTail(http, target, () => process.HasExited, TimeSpan.FromSeconds(60));
            EmulatorTails.Generate(http, target, eventCount);
            var done = ReadMarker(process, "BENCH-DONE", deadline, stderr, secret);
            var (_, peak) = Status(pid);
            if (long.Parse(done[0], CultureInfo.InvariantCulture) != eventCount)
                throw new InvalidOperationException($"h: Measure-Object counted {done[0]} events, expected {eventCount}");
            process.StandardInput.WriteLine();
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) throw new TimeoutException("h: pwsh did not exit after the run");
            return new Sample(idleRss, idlePeak, warmRss, warmPeak, peak, double.Parse(done[1], CultureInfo.InvariantCulture), string.Join("/", done[2..5]), double.Parse(done[5], CultureInfo.InvariantCulture));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true); // never leave a pwsh behind
        }
    }

    /// <summary>The words after a line "MARKER ..." on the child's stdout; fails if the child exits or the deadline passes first.</summary>
    private static string[] ReadMarker(Process process, string marker, DateTime deadline, Task<string> stderr, string secret)
    {
        while (true)
        {
            var line = process.StandardOutput.ReadLineAsync();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !line.Wait(left)) throw new TimeoutException($"h: pwsh did not print {marker} within {Limit.TotalMinutes:0} min");
            if (line.Result is null)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"h: pwsh exited {process.ExitCode} before {marker}: {Mask(stderr.Result, secret)}");
            }
            var text = line.Result.Trim();
            if (text.StartsWith(marker + " ", StringComparison.Ordinal)) return text[(marker.Length + 1)..].Split(' ');
        }
    }

    /// <summary>VmRSS and VmHWM of a process in MB, read from /proc (Linux; what Process.WorkingSet64/PeakWorkingSet64 read there).</summary>
    private static (double Rss, double Peak) Status(int pid)
    {
        double rss = double.NaN, peak = double.NaN;
        foreach (var line in File.ReadAllLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) / 1024;
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line) / 1024;
        }
        return (rss, peak);
    }

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static string Mask(string text, string secret)
    {
        text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text.Length > 2000 ? text[..2000] + "..." : text;
    }

    private static string Mb(IReadOnlyList<double> values) =>
        $"{F(Comparison.Percentile(values, 0.5))} ({F(Comparison.Percentile(values, 0.25))}-{F(Comparison.Percentile(values, 0.75))})";

    private static string Rate(IReadOnlyList<double> values) =>
        $"{Comparison.Percentile(values, 0.5):N0} ({Comparison.Percentile(values, 0.25):N0}-{Comparison.Percentile(values, 0.75):N0})";

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
