namespace CfManagement.Emulator;

/// <summary>
/// A fault to inject into matching API requests. Null <see cref="Method"/> / <see cref="PathContains"/> match anything.
/// Applies <see cref="Times"/> times (-1: forever); <see cref="Hits"/> counts how often it fired.
/// </summary>
public sealed class FaultRule
{
    private int _hits;

    public string? Method { get; set; }
    /// <summary>Substring of the request path (e.g. "/user/tokens"), matched case-insensitively.</summary>
    public string? PathContains { get; set; }
    public FaultKind Kind { get; set; }
    public int StatusCode { get; set; } = 503;
    public int RetryAfterSeconds { get; set; } = 1;
    public TimeSpan Delay { get; set; }
    public int Times { get; set; } = 1;
    public int Hits => Volatile.Read(ref _hits);

    internal bool Matches(string method, string path) =>
        (Method is null || Method.Equals(method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || path.Contains(PathContains, StringComparison.OrdinalIgnoreCase));

    internal void RecordHit() => Interlocked.Increment(ref _hits);
}
