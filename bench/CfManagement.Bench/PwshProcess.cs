using System.Diagnostics;
using System.Globalization;

namespace CfManagement.Bench;

/// <summary>
/// Runs a script in a fresh, real pwsh (the repo's local dotnet tool, 7.6.9) and returns the timings it reports as
/// lines "BENCH name=ms". Scripts time themselves with a Stopwatch, so process start-up is not in the numbers.
/// The API token reaches the child only through its environment and is masked in anything this class prints.
/// </summary>
public sealed class PwshProcess(string repoRoot, IReadOnlyDictionary<string, string> environment, string secret)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public IReadOnlyDictionary<string, double> Run(string scriptPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot, // where .config/dotnet-tools.json pins pwsh
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", scriptPath }) start.ArgumentList.Add(arg);
        // Same for both arms: no telemetry or update check (network calls at start-up would only add noise).
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet pwsh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (!process.WaitForExit(Limit)) throw new TimeoutException($"pwsh {Path.GetFileName(scriptPath)} did not finish within {Limit.TotalSeconds:0} s");
            process.WaitForExit(); // drains the redirected streams
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true); // never leave a pwsh behind
        }

        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in stdout.Result.Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith("BENCH ", StringComparison.Ordinal)) continue;
            var pair = text["BENCH ".Length..].Split('=', 2);
            timings[pair[0]] = double.Parse(pair[1], CultureInfo.InvariantCulture);
        }
        if (process.ExitCode != 0 || timings.Count == 0)
            throw new InvalidOperationException($"pwsh {Path.GetFileName(scriptPath)} exited {process.ExitCode}: {Mask(stderr.Result + stdout.Result)}");
        return timings;
    }

    private string Mask(string text)
    {
        text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text.Length > 2000 ? text[..2000] + "..." : text;
    }
}
