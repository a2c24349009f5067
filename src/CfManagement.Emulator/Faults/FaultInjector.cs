namespace CfManagement.Emulator;

/// <summary>Ordered fault rules; the first live matching rule fires and uses up one of its Times.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = new();
    private readonly object _gate = new();

    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Times == 0 || rule.Times < -1)
            throw new ArgumentOutOfRangeException(nameof(rule), "Times must be positive or -1 (forever).");
        lock (_gate)
            _rules.Add(rule);
        return rule;
    }

    public void Clear()
    {
        lock (_gate)
            _rules.Clear();
    }

    public IReadOnlyList<FaultRule> Rules { get { lock (_gate) return _rules.ToList(); } }

    /// <summary>Finds the rule to apply to this request, consuming one use of it.</summary>
    internal FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Times == 0 || !rule.Matches(method, path))
                    continue;
                if (rule.Times > 0)
                    rule.Times--;
                rule.RecordHit();
                return rule;
            }
            return null;
        }
    }
}
