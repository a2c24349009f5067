namespace CfManagement.Bench;

/// <summary>
/// The measurement loop. Every round runs each arm once, in an order that flips from round to round (A B, B A, ...),
/// so slow drift on a shared machine (another build, thermal throttling) lands on both sides of a comparison instead
/// of on whichever ran second. Warm-up rounds run the same arms the same number of times and are discarded.
/// An arm returns one or more named timings in milliseconds (a fresh pwsh process can report several).
/// </summary>
public sealed class InterleavedRunner(int warmupRounds, int rounds)
{
    public int Rounds { get; } = rounds;

    public Samples Run(string label, params Func<IReadOnlyDictionary<string, double>>[] arms)
    {
        var samples = new Samples();
        for (var round = -warmupRounds; round < Rounds; round++)
        {
            Console.Error.Write(round < 0 ? $"\r  {label}: warm-up {round + warmupRounds + 1}/{warmupRounds}   " : $"\r  {label}: round {round + 1}/{Rounds}   ");
            var order = Math.Abs(round) % 2 == 0 ? arms : arms.Reverse().ToArray();
            var results = order.Select(arm => arm()).ToList();
            if (round < 0) continue;
            foreach (var result in results)
                foreach (var (metric, ms) in result) samples.Add(metric, ms);
        }
        Console.Error.WriteLine();
        return samples;
    }

    /// <summary>
    /// An arm that times <paramref name="action"/> in this process: wall-clock as <paramref name="metric"/>, and the
    /// process's CPU time (all threads, so the in-process emulator's share too) as metric + ".cpu". CPU time is far
    /// less disturbed than wall-clock when other work competes for the machine's cores.
    /// </summary>
    public static Func<IReadOnlyDictionary<string, double>> Timed(string metric, Action action) => () =>
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalMilliseconds;
        self.Refresh();
        return new Dictionary<string, double> { [metric] = wall, [metric + ".cpu"] = (self.TotalProcessorTime - cpu).TotalMilliseconds };
    };
}
