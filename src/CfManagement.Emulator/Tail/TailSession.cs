using System.Threading.Channels;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// One tail: its target ("script" for a Worker, "project/deployment" for Pages), filters and expiry, and the queue
/// between event producers and its WebSocket. The queue is bounded: a producer faster than the socket waits.
/// </summary>
internal sealed class TailSession(string id, string target, bool pages, TailFilter filter, DateTimeOffset createdOn, DateTimeOffset expiresAt)
{
    private readonly Random _sampling = new(id.GetHashCode());
    private readonly CancellationTokenSource _closed = new();

    public string Id { get; } = id;
    public string Target { get; } = target;
    public bool Pages { get; } = pages;
    public TailFilter Filter { get; } = filter;
    public DateTimeOffset CreatedOn { get; } = createdOn;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    public Channel<TailEvent> Queue { get; } = Channel.CreateBounded<TailEvent>(new BoundedChannelOptions(8192)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>A socket is attached (only one at a time).</summary>
    public bool Connected { get; set; }
    /// <summary>The client's first message said {"debug": true}.</summary>
    public bool? Debug { get; set; }
    /// <summary>While set, the pongs answering the client's pings are swallowed (<see cref="PongWithholdingStream"/>).</summary>
    public volatile bool WithholdPongs;
    /// <summary>Cancelled when the tail is deleted or its connection dropped by a fault.</summary>
    public CancellationToken Closed => _closed.Token;
    /// <summary>Set before <see cref="Closed"/> fires: abort the TCP connection rather than close the socket cleanly.</summary>
    public volatile bool Drop;
    public long Delivered;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Sampling decision for one event (sampling_rate of the filters).</summary>
    public bool Sampled()
    {
        if (Filter.SamplingRate >= 1)
            return true;
        lock (_sampling)
            return _sampling.NextDouble() < Filter.SamplingRate;
    }

    public void Close(bool drop)
    {
        Drop = drop;
        _closed.Cancel();
    }
}
