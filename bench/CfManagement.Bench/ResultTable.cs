using System.Globalization;

namespace CfManagement.Bench;

/// <summary>Prints the comparisons as one fixed-width table (medians, p25–p75 spread, ratios, goal).</summary>
public static class ResultTable
{
    public static void Print(IReadOnlyList<Comparison> rows, int rounds)
    {
        var header = new[] { "scenario", "baseline", "baseline ms (p25-p75)", "module ms (p25-p75)", "ratio", "pair ratio (IQR)", "goal" };
        var lines = rows.Select(r => new[]
        {
            r.Scenario,
            r.BaselineName,
            Spread(r.Baseline),
            Spread(r.Module),
            F(r.RatioOfMedians, "0.00") + "x",
            $"{F(Comparison.Percentile(r.PairRatios, 0.5), "0.00")}x ({F(Comparison.Percentile(r.PairRatios, 0.25), "0.00")}-{F(Comparison.Percentile(r.PairRatios, 0.75), "0.00")})",
            r.Goal is double goal ? $"<= {F(goal, "0.0#")}x {(r.RatioOfMedians <= goal ? "met" : "MISSED")}" : "-",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        string Row(string[] cells) => string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i])));
        Console.WriteLine();
        Console.WriteLine($"Medians of {rounds} interleaved rounds (after warm-up); ratio = module median / baseline median; pair ratio = median of per-round module/baseline.");
        Console.WriteLine(Row(header));
        Console.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var line in lines) Console.WriteLine(Row(line));
    }

    /// <summary>One markdown bullet per comparison, for quoting in an issue or changelog.</summary>
    public static void PrintMarkdown(IReadOnlyList<Comparison> rows, int rounds)
    {
        Console.WriteLine();
        foreach (var r in rows)
        {
            var goal = r.Goal is double g ? $"; goal <= {F(g, "0.0#")}x, {(r.RatioOfMedians <= g ? "met" : "missed")}" : "";
            Console.WriteLine($"- {r.Scenario}: **{F(r.RatioOfMedians, "0.00")}x** {r.BaselineName} ({F(r.ModuleMedian, "0.0")} ms vs {F(r.BaselineMedian, "0.0")} ms, " +
                              $"pair-ratio IQR {F(Comparison.Percentile(r.PairRatios, 0.25), "0.00")}-{F(Comparison.Percentile(r.PairRatios, 0.75), "0.00")}, median of {rounds} interleaved rounds{goal})");
        }
    }

    private static string Spread(IReadOnlyList<double> values) =>
        $"{F(Comparison.Percentile(values, 0.5), "0.0")} ({F(Comparison.Percentile(values, 0.25), "0.0")}-{F(Comparison.Percentile(values, 0.75), "0.0")})";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
