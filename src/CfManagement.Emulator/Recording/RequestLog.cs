namespace CfManagement.Emulator.Recording;

/// <summary>Thread-safe append-only list of received API requests.</summary>
internal sealed class RequestLog
{
    private readonly List<RecordedRequest> _requests = new();
    private readonly object _gate = new();

    public void Add(RecordedRequest request)
    {
        lock (_gate)
            _requests.Add(request);
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
            return _requests.ToList();
    }

    public void Clear()
    {
        lock (_gate)
            _requests.Clear();
    }
}
