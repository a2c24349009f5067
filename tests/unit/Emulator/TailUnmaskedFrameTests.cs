using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>
/// wrangler sends its opening {"debug": ...} with the ws option mask: false, i.e. as an unmasked client frame, which
/// Cloudflare accepts: the emulator's tail socket must too (else it closes with 1002 and wrangler reconnects forever).
/// </summary>
public sealed class TailUnmaskedFrameTests : WorkerTestBase
{
    [Fact]
    public async Task An_unmasked_client_frame_is_read_and_the_socket_streams_on()
    {
        var created = await SendContent("POST", Script("api-worker") + "/tails", new StringContent("{\"filters\":[]}", Encoding.UTF8, "text/plain"));
        AssertOk(created);
        var url = new Uri(created.Result!["url"]!.GetValue<string>());
        var id = created.Result!["id"]!.GetValue<string>();

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var handshake = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: trace-v1\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake));
        var response = new StringBuilder();
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)) // byte by byte: nothing of the frames after it
        {
            var one = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(one));
            response.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", response.ToString());

        // FIN + text, no mask bit, no masking key: exactly what wrangler's ws client writes for {"debug":true}.
        var payload = Encoding.UTF8.GetBytes("{\"debug\":true}");
        await stream.WriteAsync(new byte[] { 0x81, (byte)payload.Length }.Concat(payload).ToArray());
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, SubProtocol = "trace-v1" });

        var watch = Stopwatch.StartNew();
        JsonObject tail;
        while (!((tail = await AdminTail(id))["debug"]?.GetValue<bool>() ?? false))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the unmasked {\"debug\":true} was not read: " + tail.ToJsonString());
            await Task.Delay(20);
        }
        Assert.True(tail["connected"]!.GetValue<bool>());

        await Admin("/generate", new JsonObject { ["target"] = "api-worker", ["count"] = 3 });
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 3; i++)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            Assert.Equal("api-worker", JsonNode.Parse(buffer.AsSpan(0, result.Count))!["scriptName"]!.GetValue<string>());
        }
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    private async Task<JsonObject> AdminTail(string id) =>
        (await Admin(""))!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!.AsObject();

    private async Task<JsonNode?> Admin(string path, JsonObject? body = null)
    {
        var uri = new Uri(Cf.BaseUri, "/__emulator/tails" + path);
        using var content = new StringContent((body ?? new JsonObject()).ToJsonString(), Encoding.UTF8, "application/json");
        using var response = path == "" ? await Http.GetAsync(uri) : await Http.PostAsync(uri, content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["result"];
    }
}
