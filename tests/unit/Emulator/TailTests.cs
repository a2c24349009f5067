using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using CfManagement.Emulator.Tail;
using Xunit;
using Xunit.Abstractions;

namespace CfManagement.Tests.Emulator;

/// <summary>Contract of live tails: the resources, the trace-v1 socket, filters, expiry, 10057 and the socket faults.</summary>
public sealed class TailTests(ITestOutputHelper output) : WorkerTestBase
{
    private const string Worker = "api-worker"; // seeded

    private string Tails => Script(Worker) + "/tails";

    private async Task<JsonObject> CreateTail(params JsonObject[] filters)
    {
        // wrangler sends the body with no JSON Content-Type: the API (and the emulator) parse it anyway.
        var body = new JsonObject { ["filters"] = new JsonArray(filters.Select(f => (JsonNode?)f).ToArray()) }.ToJsonString();
        var reply = await SendContent("POST", Tails, new StringContent(body, Encoding.UTF8, "text/plain"));
        AssertOk(reply);
        return reply.Result!.AsObject();
    }

    private async Task<JsonNode?> Admin(string path, JsonObject? body = null)
    {
        using var content = new StringContent((body ?? new JsonObject()).ToJsonString(), Encoding.UTF8, "application/json");
        var uri = new Uri(Cf.BaseUri, "/__emulator/tails" + path);
        using var response = path == "" ? await Http.GetAsync(uri) : await Http.PostAsync(uri, content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["result"];
    }

    private async Task<JsonObject> AdminTail(string id) =>
        (await Admin(""))!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!.AsObject();

    private async Task<ClientWebSocket> Connect(JsonObject tail, TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("trace-v1");
        if (keepAlive is { } interval)
        {
            socket.Options.KeepAliveInterval = interval;
            socket.Options.KeepAliveTimeout = keepAliveTimeout ?? interval;
        }
        await socket.ConnectAsync(new Uri(tail["url"]!.GetValue<string>()), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"debug\":false}"), WebSocketMessageType.Text, true, CancellationToken.None);
        var id = tail["id"]!.GetValue<string>();
        // Connected, and the {"debug":false} read: the socket counts as connected before the emulator has read it.
        await WaitUntil(async () => await AdminTail(id) is var t && t["connected"]!.GetValue<bool>() && t["debug"] is not null);
        return socket;
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonObject> Receive(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!.AsObject();
    }

    /// <summary>The sequence number the factory puts in each synthetic event's first log line.</summary>
    private static long Seq(JsonObject e) => e["logs"]![0]!["message"]![1]!["seq"]!.GetValue<long>();

    private Task<JsonNode?> Generate(long count, double eventsPerSecond = 0) =>
        Admin("/generate", new JsonObject { ["target"] = Worker, ["count"] = count, ["eventsPerSecond"] = eventsPerSecond });

    [Fact]
    public async Task A_tail_is_created_listed_and_deleted()
    {
        var tail = await CreateTail();
        var id = tail["id"]!.GetValue<string>();
        Assert.StartsWith($"ws://127.0.0.1:{Cf.BaseUri.Port}/__tail/", tail["url"]!.GetValue<string>());
        var expires = DateTimeOffset.Parse(tail["expires_at"]!.GetValue<string>());
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(5.9), TimeSpan.FromHours(6.1));

        var list = await Send("GET", Tails, Token);
        AssertOk(list);
        Assert.Equal(id, list.Result!.AsArray().Single()!["id"]!.GetValue<string>());

        AssertOk(await Send("DELETE", $"{Tails}/{id}", Token));
        Assert.Empty((await Send("GET", Tails, Token)).Result!.AsArray());
        AssertError(await Send("DELETE", $"{Tails}/{id}", Token), HttpStatusCode.NotFound, ErrorCodes.TailNotFound);
    }

    [Fact]
    public async Task Unknown_script_and_bad_filters_are_refused()
    {
        AssertError(await Send("POST", Script("no-such-worker") + "/tails", Token, new JsonObject()), HttpStatusCode.NotFound, ErrorCodes.WorkerScriptNotFound);
        foreach (var bad in new[] { "{\"filters\":{}}", "{\"filters\":[{\"outcome\":[\"fine\"]}]}", "{\"filters\":[{\"sampling_rate\":2}]}",
                     "{\"filters\":[{\"header\":{\"query\":\"x\"}}]}", "{\"filters\":[{\"colour\":\"red\"}]}" })
            AssertError(await Send("POST", Tails, Token, bad), HttpStatusCode.BadRequest, ErrorCodes.InvalidBody);
        AssertError(await Send("POST", Tails, Token, "{not json"), HttpStatusCode.BadRequest, ErrorCodes.MalformedJson);
    }

    [Fact]
    public async Task Pages_tails_are_created_and_deleted_on_a_deployment()
    {
        State.AddPagesProject("docs");
        string deployment;
        lock (State.Gate)
            deployment = State.Pages.Find("docs")!.Deploy(null, DateTimeOffset.UtcNow).Id;
        var path = $"accounts/{AccountId}/pages/projects/docs/deployments/{deployment}/tails";
        var created = await Send("POST", path, Token, new JsonObject { ["filters"] = new JsonArray() });
        AssertOk(created);
        var id = created.Result!["id"]!.GetValue<string>();
        Assert.Equal($"docs/{deployment}", (await AdminTail(id))["target"]!.GetValue<string>());
        AssertError(await Send("POST", $"accounts/{AccountId}/pages/projects/docs/deployments/{Guid.NewGuid()}/tails", Token, new JsonObject()),
            HttpStatusCode.NotFound, ErrorCodes.PagesDeploymentNotFound);
        AssertOk(await Send("DELETE", $"{path}/{id}", Token));
        Assert.Empty((await Admin(""))!.AsArray());
    }

    [Fact]
    public async Task The_socket_is_refused_without_the_trace_v1_subprotocol()
    {
        var tail = await CreateTail();
        using var socket = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(tail["url"]!.GetValue<string>()), CancellationToken.None));
    }

    [Fact]
    public async Task N_events_arrive_in_order_over_trace_v1()
    {
        var tail = await CreateTail();
        using var socket = await Connect(tail);
        Assert.Equal("trace-v1", socket.SubProtocol);
        Assert.False((await AdminTail(tail["id"]!.GetValue<string>()))["debug"]!.GetValue<bool>());

        const int count = 2000;
        await Generate(count);
        var kinds = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var e = await Receive(socket);
            Assert.Equal(i, Seq(e));
            Assert.Equal(Worker, e["scriptName"]!.GetValue<string>());
            var ev = e["event"]!.AsObject();
            kinds.Add(ev.ContainsKey("request") ? "fetch" : ev.ContainsKey("cron") ? "scheduled" : ev.ContainsKey("queue") ? "queue"
                : ev.ContainsKey("mailFrom") ? "email" : "alarm");
            if (ev["request"] is JsonObject request)
                Assert.StartsWith("SECRET-", request["headers"]!["cf-access-client-secret"]!.GetValue<string>());
        }
        Assert.Equal(["alarm", "email", "fetch", "queue", "scheduled"], kinds.Order());
    }

    [Fact]
    public async Task Exactly_the_given_events_are_sent()
    {
        using var socket = await Connect(await CreateTail());
        var events = new JsonArray(
            new JsonObject { ["outcome"] = "ok", ["scriptName"] = Worker, ["logs"] = new JsonArray(), ["exceptions"] = new JsonArray(), ["eventTimestamp"] = 1, ["event"] = null },
            new JsonObject { ["outcome"] = "canceled", ["scriptName"] = Worker, ["logs"] = new JsonArray(), ["exceptions"] = new JsonArray(), ["eventTimestamp"] = 2, ["event"] = new JsonObject { ["cron"] = "* * * * *", ["scheduledTime"] = 2 } });
        await Admin("/events", new JsonObject { ["target"] = Worker, ["events"] = events });
        Assert.Equal("ok", (await Receive(socket))["outcome"]!.GetValue<string>());
        Assert.Equal("canceled", (await Receive(socket))["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"outcome\":[\"exception\"]}", "exception")]
    [InlineData("{\"client_ip\":[\"self\"]}", "self")]
    [InlineData("{\"method\":[\"POST\"]}", "post")]
    [InlineData("{\"query\":\"lookup failed\"}", "exception")]
    [InlineData("{\"header\":{\"key\":\"Cookie\",\"query\":\"session=SECRET-cookie-14\"}}", "seq14")]
    public async Task Filters_are_applied_by_the_server(string filter, string expectation)
    {
        using var socket = await Connect(await CreateTail(JsonNode.Parse(filter)!.AsObject()));
        const int count = 140;
        bool IsFetch(long n) => TailEventFactory.Kinds[n % TailEventFactory.Kinds.Length] == "fetch";
        var expected = Enumerable.Range(0, count).Where(n => IsFetch(n) && expectation switch
        {
            "exception" => n % 5 == 4,
            "self" => n % 3 == 2, // the factory's third client IP is 127.0.0.1, the test's own address
            "post" => n % 4 == 3,
            _ => n == 14,
        }).ToList();
        Assert.NotEmpty(expected);
        await Generate(count);
        // A marker after the batch, which passes no filter, would not arrive; so read exactly the expected ones, then
        // check nothing else came (the delivered count at the emulator equals them).
        foreach (var n in expected)
            Assert.Equal(n, Seq(await Receive(socket)));
        await Task.Delay(300);
        var id = (await Admin(""))!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(expected.Count, (await AdminTail(id))["delivered"]!.GetValue<long>());
    }

    [Fact]
    public async Task Sampling_and_script_version_filters_apply()
    {
        var version = State.WorkerVersionIds(Worker)[^1];
        var sampled = await CreateTail(new JsonObject { ["sampling_rate"] = 0.1 });
        var otherVersion = await CreateTail(new JsonObject { ["scriptVersion"] = Guid.NewGuid().ToString() });
        var thisVersion = await CreateTail(new JsonObject { ["scriptVersion"] = version });
        using var s1 = await Connect(sampled);
        using var s2 = await Connect(otherVersion);
        using var s3 = await Connect(thisVersion);
        await Generate(2000);
        for (var i = 0; i < 2000; i++)
            Assert.Equal(version, (await Receive(s3))["scriptVersion"]!["id"]!.GetValue<string>());
        await Task.Delay(300);
        Assert.InRange((await AdminTail(sampled["id"]!.GetValue<string>()))["delivered"]!.GetValue<long>(), 100, 320);
        Assert.Equal(0, (await AdminTail(otherVersion["id"]!.GetValue<string>()))["delivered"]!.GetValue<long>());
    }

    [Fact]
    public async Task Events_stop_at_expires_at_and_the_socket_stays_open()
    {
        await Admin("/settings", new JsonObject { ["ttlSeconds"] = 1 });
        var tail = await CreateTail();
        Assert.InRange(DateTimeOffset.Parse(tail["expires_at"]!.GetValue<string>()) - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromSeconds(1.1));
        using var socket = await Connect(tail);
        await Generate(5);
        for (var i = 0; i < 5; i++)
            Assert.Equal(i, Seq(await Receive(socket)));

        await Task.Delay(1200);
        await Generate(50);
        await Task.Delay(300);
        var state = await AdminTail(tail["id"]!.GetValue<string>());
        Assert.Equal(5, state["delivered"]!.GetValue<long>());
        Assert.True(state["connected"]!.GetValue<bool>());
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Empty((await Send("GET", Tails, Token)).Result!.AsArray()); // expired tails are not listed
    }

    [Fact]
    public async Task Too_much_traffic_is_10057_unless_sampling_brings_it_below_the_threshold()
    {
        await Admin("/settings", new JsonObject { ["trafficThreshold"] = 100 });
        await Admin("/load", new JsonObject { ["target"] = Worker, ["eventsPerSecond"] = 1000 });
        AssertError(await Send("POST", Tails, Token, new JsonObject { ["filters"] = new JsonArray() }), HttpStatusCode.BadRequest, ErrorCodes.TailTooMuchTraffic);
        AssertError(await Send("POST", Tails, Token, "{\"filters\":[{\"sampling_rate\":0.5}]}"), HttpStatusCode.BadRequest, ErrorCodes.TailTooMuchTraffic);
        AssertOk(await Send("POST", Tails, Token, "{\"filters\":[{\"sampling_rate\":0.05}]}"));
    }

    [Fact]
    public async Task A_dropped_connection_ends_the_socket_abruptly()
    {
        var tail = await CreateTail();
        using var socket = await Connect(tail);
        var id = tail["id"]!.GetValue<string>();
        Assert.Equal(1, (await Admin("/drop", new JsonObject { ["id"] = id }))!["dropped"]!.GetValue<int>());
        await Assert.ThrowsAsync<WebSocketException>(() => Receive(socket));
        // Like Cloudflare, the tail outlives its broken socket until the client deletes it.
        await WaitUntil(async () => !(await AdminTail(id))["connected"]!.GetValue<bool>());
        AssertOk(await Send("DELETE", $"{Tails}/{id}", Token));
        Assert.DoesNotContain((await Admin(""))!.AsArray(), t => t!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Deleting_the_tail_closes_its_socket_normally()
    {
        var tail = await CreateTail();
        using var socket = await Connect(tail);
        AssertOk(await Send("DELETE", $"{Tails}/{tail["id"]!.GetValue<string>()}", Token));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await socket.ReceiveAsync(new byte[1024], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
    }

    [Fact]
    public async Task Withheld_pongs_make_a_pinging_client_give_up_and_answered_pongs_do_not()
    {
        var answered = await CreateTail();
        using var healthy = await Connect(answered, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        var withheld = await CreateTail();
        using var starved = await Connect(withheld, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        await Task.Delay(600); // pings answered so far: the socket is alive before the fault
        Assert.Equal(WebSocketState.Open, starved.State);
        await Admin("/withhold-pongs", new JsonObject { ["id"] = withheld["id"]!.GetValue<string>(), ["withhold"] = true });

        var healthyRead = Receive(healthy);
        await Assert.ThrowsAnyAsync<Exception>(() => Receive(starved)); // the keep-alive timeout aborts it
        await Task.Delay(800);
        Assert.False(healthyRead.IsCompleted);
        Assert.Equal(WebSocketState.Open, healthy.State);
    }

    [Fact]
    public async Task Ordinary_calls_complete_while_a_socket_streams_and_another_is_open()
    {
        // A second socket, idle (its filter matches no event) and with its pongs withheld, open all along.
        var stuck = await CreateTail(new JsonObject { ["outcome"] = new JsonArray("exceededMemory") });
        await Admin("/withhold-pongs", new JsonObject { ["id"] = stuck["id"]!.GetValue<string>(), ["withhold"] = true });
        using var stuckSocket = await Connect(stuck);
        var streaming = await CreateTail();
        using var socket = await Connect(streaming);
        const int count = 20_000;
        await Generate(count, eventsPerSecond: 5_000);
        var reading = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
                Assert.Equal(i, Seq(await Receive(socket)));
        });

        var slowest = TimeSpan.Zero;
        var calls = 0;
        while (!reading.IsCompleted)
        {
            var watch = Stopwatch.StartNew();
            AssertOk(await Send("GET", Tails, Token));
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            calls++;
            await Task.Delay(50);
        }
        await reading;
        output.WriteLine($"{calls} API calls during the stream, slowest {slowest.TotalMilliseconds:F0} ms");
        Assert.True(calls >= 5, $"only {calls} calls");
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"slowest API call {slowest}");
    }

    [Fact]
    public async Task An_unpaced_stream_reaches_thousands_of_events_per_second()
    {
        using var socket = await Connect(await CreateTail());
        const int count = 50_000;
        var watch = Stopwatch.StartNew();
        await Generate(count);
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < count; i++)
        {
            WebSocketReceiveResult r;
            do r = await socket.ReceiveAsync(buffer, CancellationToken.None);
            while (!r.EndOfMessage);
        }
        var rate = count / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{rate:F0} events/s");
        Assert.True(rate > 5_000, $"{rate:F0} events/s");
    }
}
