using System;
using System.IO;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Tail
{
    /// <summary>
    /// One trace-v1 socket of a tail: connects with the <c>trace-v1</c> subprotocol, sends <c>{"debug":false}</c> on open
    /// (as wrangler does), then hands each whole message to the caller. Pings once the socket has been quiet for
    /// <see cref="PingInterval"/> (ClientWebSocket's keep-alive: every message received proves the connection alive and
    /// puts the next ping off, so a busy tail sends none); on a runtime that can (.NET 9+, so PowerShell 7.5+), a pong
    /// missing for that long aborts the socket, which the read loop reports as a disconnect. Windows PowerShell's
    /// runtime cannot see pongs, so there only a dead TCP connection ends it.
    /// </summary>
    public sealed class TailConnection : IDisposable
    {
        public const string SubProtocol = "trace-v1";
        public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
        private static readonly byte[] OpenMessage = Encoding.UTF8.GetBytes("{\"debug\":false}");

        private readonly ClientWebSocket _socket = new ClientWebSocket();
        private byte[] _buffer = new byte[16 * 1024];

        public TailConnection(TimeSpan? pingInterval = null)
        {
            _socket.Options.AddSubProtocol(SubProtocol);
            var interval = pingInterval ?? PingInterval;
            _socket.Options.KeepAliveInterval = interval;
            // KeepAliveTimeout (.NET 9+) makes the keep-alive a real ping that expects a pong; netstandard2.0 cannot name it.
            typeof(ClientWebSocketOptions).GetProperty("KeepAliveTimeout", BindingFlags.Public | BindingFlags.Instance)?.SetValue(_socket.Options, interval);
        }

        /// <summary>Does this runtime abort the socket when a pong is missing?</summary>
        public static bool DetectsMissingPong => typeof(ClientWebSocketOptions).GetProperty("KeepAliveTimeout") != null;

        public WebSocketState State => _socket.State;

        public async Task ConnectAsync(Uri url, CancellationToken cancellationToken)
        {
            await _socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(_socket.SubProtocol, SubProtocol, StringComparison.Ordinal))
                throw new WebSocketException($"The tail socket answered subprotocol '{_socket.SubProtocol}', not {SubProtocol}.");
            await _socket.SendAsync(new ArraySegment<byte>(OpenMessage), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads until the server closes the socket (returns normally), the socket breaks (throws
        /// <see cref="WebSocketException"/>), or <paramref name="cancellationToken"/> fires. <paramref name="onMessage"/>
        /// gets each whole message; the bytes are valid only during the call.
        /// </summary>
        public async Task ReadAsync(Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                    try
                    {
                        result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The keep-alive aborted the socket (no pong): a disconnect with its reason, not a cancellation.
                        var cause = e.InnerException is AggregateException many && many.InnerExceptions.Count > 0 ? many.InnerExceptions[0] : e.InnerException ?? e;
                        throw new WebSocketException(WebSocketError.Faulted, cause.Message, e);
                    }
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    length += result.Count;
                } while (!result.EndOfMessage);
                onMessage(new ReadOnlyMemory<byte>(_buffer, 0, length));
            }
        }

        /// <summary>Closes politely within <paramref name="timeout"/>, then aborts; never throws (it runs on every exit path).</summary>
        public async Task CloseAsync(TimeSpan timeout)
        {
            try
            {
                if (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseReceived)
                    using (var cts = new CancellationTokenSource(timeout))
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "tail stopped", cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException || e is IOException || e is ObjectDisposedException)
            {
                // a socket already gone is closed enough
            }
            finally
            {
                _socket.Abort();
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
