namespace CfManagement.Bench;

/// <summary>
/// One scenario's result: the module's timings against a baseline's from the same rounds. Besides the ratio of the
/// medians it keeps the per-round ratios (module_i / baseline_i): pairing cancels drift that both sides shared, and
/// their interquartile range says how much the ratio itself can be trusted.
/// </summary>
public sealed record Comparison(string Scenario, string BaselineName, IReadOnlyList<double> Baseline, IReadOnlyList<double> Module, double? Goal)
{
    public static Comparison Of(Samples samples, string scenario, string baselineName, string baselineMetric, string moduleMetric, double? goal) =>
        new(scenario, baselineName, samples[baselineMetric], samples[moduleMetric], goal);

    public double BaselineMedian => Percentile(Baseline, 0.5);
    public double ModuleMedian => Percentile(Module, 0.5);
    public double RatioOfMedians => ModuleMedian / BaselineMedian;
    public IReadOnlyList<double> PairRatios => Module.Zip(Baseline, (m, b) => m / b).ToList();

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var position = p * (sorted.Length - 1); // linear interpolation between closest ranks
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
