namespace CfManagement.Emulator.Tail;

/// <summary>
/// The read side of a tail socket's upgraded connection, accepting client frames that lack the mask bit as Cloudflare
/// does: wrangler sends its opening {"debug": false} with <c>mask: false</c> (packages/wrangler/src/tail/createTail.ts),
/// which RFC 6455 says a server must refuse and ManagedWebSocket does (close 1002, and wrangler reconnects forever).
/// Each unmasked frame reaches the WebSocket with the mask bit set and an all-zero masking key, which leaves its
/// payload unchanged; masked frames and every payload byte pass through untouched. Writes pass straight through.
/// </summary>
internal sealed class UnmaskedClientFrameStream(Stream inner) : Stream
{
    private const byte MaskBit = 0x80;

    // A frame header as read (at most 2 + 8 + 4 bytes), then as handed on (with 4 more for an added zero key).
    private readonly byte[] header = new byte[14];
    private readonly byte[] pending = new byte[18];
    private int pendingStart, pendingEnd;
    private long payloadLeft;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (buffer.Length == 0)
            return 0;
        if (pendingStart == pendingEnd && payloadLeft == 0 && !await ReadHeaderAsync(ct))
            return Drain(buffer.Span); // end of stream: whatever part of a header came, then 0
        if (pendingStart < pendingEnd)
            return Drain(buffer.Span);
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, payloadLeft)], ct);
        payloadLeft -= read;
        return read;
    }

    /// <summary>Reads one frame header into <see cref="pending"/>, rewritten when unmasked; false at end of stream.</summary>
    private async ValueTask<bool> ReadHeaderAsync(CancellationToken ct)
    {
        pendingStart = pendingEnd = 0;
        if (!await FillAsync(0, 2, ct))
            return false;
        var length7 = header[1] & 0x7F;
        var extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        var masked = (header[1] & MaskBit) != 0;
        var size = 2 + extended + (masked ? 4 : 0);
        if (!await FillAsync(2, size, ct))
            return false;
        long length = length7;
        if (extended > 0)
        {
            length = 0;
            for (var i = 2; i < 2 + extended; i++)
                length = (length << 8) | header[i];
        }
        header.AsSpan(0, size).CopyTo(pending);
        pendingEnd = size;
        if (!masked)
        {
            pending[1] |= MaskBit;
            pending.AsSpan(size, 4).Clear();
            pendingEnd = size + 4;
        }
        payloadLeft = length;
        return true;
    }

    /// <summary>Reads header bytes [from, to); at end of stream keeps what came in <see cref="pending"/> and says false.</summary>
    private async ValueTask<bool> FillAsync(int from, int to, CancellationToken ct)
    {
        while (from < to)
        {
            var read = await inner.ReadAsync(header.AsMemory(from, to - from), ct);
            if (read == 0)
            {
                header.AsSpan(0, from).CopyTo(pending);
                pendingEnd = from;
                return false;
            }
            from += read;
        }
        return true;
    }

    private int Drain(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, pendingEnd - pendingStart);
        pending.AsSpan(pendingStart, count).CopyTo(buffer);
        pendingStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
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
