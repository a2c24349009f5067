using System.Net.WebSockets;
using System.Text.Json;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// The tail WebSocket, GET /__tail/{id}, mapped outside the API pipeline so no global lock is held while it streams
/// (it touches only the tail store's own lock, briefly). The client must offer subprotocol trace-v1 (else 400, as
/// Cloudflare refuses); unknown tail 404; a tail that already has a socket 409; not a WebSocket request 400.
/// The first text message ({"debug": false}) is recorded on the tail; like Cloudflare, the socket accepts client frames
/// without the mask bit (wrangler sends that message unmasked; <see cref="UnmaskedClientFrameStream"/>). Each event
/// is one text message of trace-v1 JSON. At expires_at events stop but the socket stays open. Deleting the tail closes the socket (1000); the drop
/// fault aborts the TCP connection; while pongs are withheld the pong frames answering the client's pings are
/// swallowed below the WebSocket (<see cref="PongWithholdingStream"/>), at once, even on a socket already streaming.
/// </summary>
internal static class TailSocketEndpoint
{
    public const string Prefix = "/__tail";
    public const string SubProtocol = "trace-v1";

    public static async Task HandleAsync(HttpContext http, EmulatorState state)
    {
        var id = http.Request.Path.Value![(Prefix.Length + 1)..];
        var tail = state.Tails.Find(id);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Refuse(http, 400, "Expected a WebSocket upgrade");
            return;
        }
        if (tail is null)
        {
            await Refuse(http, 404, "Tail not found");
            return;
        }
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            await Refuse(http, 400, "The WebSocket must request subprotocol trace-v1");
            return;
        }
        bool taken;
        lock (tail)
        {
            taken = tail.Connected;
            tail.Connected = true;
        }
        if (taken)
        {
            await Refuse(http, 409, "Tail already has a connection");
            return;
        }

        using var socket = await AcceptAsync(http, tail);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(tail.Closed, http.RequestAborted);
        try
        {
            // The read is never cancelled (cancelling a WebSocket read aborts the socket); it ends with the client's close.
            var receiving = ReceiveAsync(socket, tail, stop.Token);
            var sending = SendAsync(socket, tail, state, stop.Token);
            await Task.WhenAny(receiving, sending);
            stop.Cancel();
            try { await sending; }
            catch (OperationCanceledException) { }
            if (tail.Drop)
            {
                http.Abort();
                return;
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "tail deleted", timeout.Token);
            }
            await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(2)));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException) { }
        finally
        {
            lock (tail)
                tail.Connected = false;
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, TailSession tail, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (!ct.IsCancellationRequested)
        {
            WebSocketReceiveResult result;
            try { result = await socket.ReceiveAsync(buffer, CancellationToken.None); }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException) { return; }
            if (result.MessageType == WebSocketMessageType.Close)
                return;
            if (result.MessageType == WebSocketMessageType.Text && tail.Debug is null && result.EndOfMessage)
            {
                try
                {
                    using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                    tail.Debug = doc.RootElement.TryGetProperty("debug", out var debug) && debug.ValueKind == JsonValueKind.True;
                }
                catch (JsonException) { }
            }
        }
    }

    /// <summary>Sends queued events in batches: one wait, then everything already queued, with no wait in between.</summary>
    private static async Task SendAsync(WebSocket socket, TailSession tail, EmulatorState state, CancellationToken ct)
    {
        var reader = tail.Queue.Reader;
        while (await reader.WaitToReadAsync(ct))
        {
            var expired = tail.IsExpired(state.Now);
            while (reader.TryRead(out var e))
            {
                if (expired)
                    continue;
                await socket.SendAsync(e.Json, WebSocketMessageType.Text, endOfMessage: true, ct);
                Interlocked.Increment(ref tail.Delivered);
            }
        }
    }

    /// <summary>
    /// The upgrade done by hand (RFC 6455 accept key) so the socket runs over <see cref="PongWithholdingStream"/>:
    /// the framework's own accept hides the stream, and pongs can only be withheld below the WebSocket.
    /// </summary>
    private static async Task<WebSocket> AcceptAsync(HttpContext http, TailSession tail)
    {
        var key = http.Request.Headers["Sec-WebSocket-Key"].ToString();
        var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(
            System.Text.Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        http.Response.Headers["Connection"] = "Upgrade";
        http.Response.Headers["Upgrade"] = "websocket";
        http.Response.Headers["Sec-WebSocket-Accept"] = accept;
        http.Response.Headers["Sec-WebSocket-Protocol"] = SubProtocol;
        var upgrade = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()!;
        var stream = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(new PongWithholdingStream(new UnmaskedClientFrameStream(stream), tail),
            new WebSocketCreationOptions { IsServer = true, SubProtocol = SubProtocol, KeepAliveInterval = TimeSpan.Zero });
    }

    private static async Task Refuse(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        await http.Response.WriteAsync(message);
    }
}
