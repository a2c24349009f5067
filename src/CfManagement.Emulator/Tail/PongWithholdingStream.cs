namespace CfManagement.Emulator.Tail;

/// <summary>
/// The upgraded connection of a tail socket, passing everything through except, while the tail withholds pongs, the
/// pong frames the WebSocket writes in answer to the client's pings. ManagedWebSocket writes each frame (header and
/// payload) in one write, so a write whose first byte has opcode 0xA is exactly one pong.
/// </summary>
internal sealed class PongWithholdingStream(Stream inner, TailSession tail) : Stream
{
    private const int PongOpcode = 0xA;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    private bool Withheld(ReadOnlySpan<byte> frame) => tail.WithholdPongs && frame.Length > 0 && (frame[0] & 0x0F) == PongOpcode;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) =>
        Withheld(buffer.Span) ? ValueTask.CompletedTask : inner.WriteAsync(buffer, ct);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!Withheld(buffer.AsSpan(offset, count)))
            inner.Write(buffer, offset, count);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
