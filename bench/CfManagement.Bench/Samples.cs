namespace CfManagement.Bench;

/// <summary>Timings per metric, kept in round order so that metric i of one arm pairs with metric i of another.</summary>
public sealed class Samples
{
    private readonly Dictionary<string, List<double>> _byMetric = new(StringComparer.Ordinal);

    public void Add(string metric, double ms)
    {
        if (!_byMetric.TryGetValue(metric, out var list)) _byMetric[metric] = list = [];
        list.Add(ms);
    }

    public IReadOnlyList<double> this[string metric] =>
        _byMetric.TryGetValue(metric, out var list) ? list : throw new KeyNotFoundException($"no samples for {metric}");
}
