using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// Test control of live tails, under /__emulator/tails (no authentication; same envelope as the API). A target is a
/// Worker script name, or "project/deployment_id" for Pages.
/// GET  tails → [{id, target, pages, connected, debug, expires_at, delivered, filters}];
/// POST tails/settings {"ttlSeconds"?: N, "trafficThreshold"?: N} → the settings (back to EmulatorOptions.TailTtl and
///      TailTrafficThreshold on reset);
/// POST tails/load {"target", "eventsPerSecond"}: the target's simulated traffic, compared with the threshold when a tail
///      is created (10057 above it unless sampling_rate brings it below);
/// POST tails/generate {"target", "count", "eventsPerSecond"?: 0 = unpaced, "kind"?: fetch|scheduled|queue|alarm|email}
///      streams synthetic events (<see cref="TailEventFactory"/>) to the connected tails of the target, in the
///      background → {from, count, tails}; sequence numbers continue across calls for a target;
/// POST tails/events {"target", "events": [trace-v1 event objects]} sends exactly those (filters applied) → {count, tails};
/// POST tails/stop-generating stops every running generate/events;
/// POST tails/drop {"target"? | "id"?} aborts the TCP connections of those tails (all when neither) → {dropped}; the
///      tails stay listed (disconnected, and they carry no more events) until deleted or expired, as Cloudflare keeps a
///      tail whose socket broke: a client that reconnects must delete the old one itself;
/// POST tails/withhold-pongs {"target"? | "id"?, "withhold": bool} → {tails}.
/// Errors: body not JSON 400 6007; missing or bad field 400 1100.
/// </summary>
internal static class TailAdmin
{
    public const string Prefix = "/__emulator/tails";

    public static async Task<ApiResponse> HandleAsync(HttpContext http, EmulatorState state)
    {
        var store = state.Tails;
        var path = http.Request.Path.Value!;
        try
        {
            if (http.Request.Method == "GET" && path == Prefix)
                return ApiResponse.Ok(new JsonArray(store.All.Select(t => (JsonNode?)Describe(t)).ToArray()));
            if (http.Request.Method != "POST")
                return ApiResponse.Fail(405, ErrorCodes.MethodNotAllowed, "Method not available for that URI.");
            var body = await ReadBody(http);
            return path[Prefix.Length..] switch
            {
                "/settings" => Settings(store, body),
                "/load" => Load(store, body),
                "/generate" => Generate(state, body),
                "/events" => Events(store, body),
                "/stop-generating" => Done(store.StopGenerators),
                "/drop" => Drop(store, body),
                "/withhold-pongs" => Withhold(store, body),
                _ => ApiResponse.Fail(404, ErrorCodes.NoRoute, "No route for that URI"),
            };
        }
        catch (ApiException e)
        {
            return e.ToResponse();
        }
    }

    private static ApiResponse Settings(TailStore store, JsonObject body)
    {
        if (body["ttlSeconds"] is not null)
            store.Ttl = TimeSpan.FromSeconds(Number(body, "ttlSeconds"));
        if (body["trafficThreshold"] is not null)
            store.TrafficThreshold = Number(body, "trafficThreshold");
        return ApiResponse.Ok(new JsonObject { ["ttlSeconds"] = store.Ttl.TotalSeconds, ["trafficThreshold"] = store.TrafficThreshold });
    }

    private static ApiResponse Load(TailStore store, JsonObject body)
    {
        store.SetTraffic(Text(body, "target"), Number(body, "eventsPerSecond"));
        return ApiResponse.Ok(new JsonObject());
    }

    private static ApiResponse Generate(EmulatorState state, JsonObject body)
    {
        var store = state.Tails;
        var target = Text(body, "target");
        var count = (long)Number(body, "count");
        var rate = body["eventsPerSecond"] is null ? 0 : Number(body, "eventsPerSecond");
        var kind = body["kind"]?.ToString();
        if (kind is not null && !TailEventFactory.Kinds.Contains(kind))
            throw Invalid("kind must be one of fetch, scheduled, queue, alarm, email");
        string? versionId;
        lock (state.Gate) // briefly: the serving version id stamped on the events (scriptVersion filter)
            versionId = state.Workers.Find(target)?.ServingVersion?.Id;
        var from = store.Reserve(target, count);
        var factory = new TailEventFactory(target.Split('/')[0], versionId, store.Now);
        var tails = store.Of(target).Count(t => t.Connected);
        _ = Task.Run(() => TailTraffic.RunAsync(store, target, factory, from, count, kind, rate, store.Generators));
        return ApiResponse.Ok(new JsonObject { ["from"] = from, ["count"] = count, ["tails"] = tails });
    }

    private static ApiResponse Events(TailStore store, JsonObject body)
    {
        var target = Text(body, "target");
        if (body["events"] is not JsonArray array || array.Any(e => e is not JsonObject))
            throw Invalid("events must be an array of objects");
        var events = array.Select(e => TailEvent.FromJson((JsonObject)e!)).ToList();
        var tails = store.Of(target).Count(t => t.Connected);
        _ = Task.Run(() => TailTraffic.RunAsync(store, target, events, store.Generators));
        return ApiResponse.Ok(new JsonObject { ["count"] = events.Count, ["tails"] = tails });
    }

    private static ApiResponse Drop(TailStore store, JsonObject body)
    {
        var tails = Select(store, body).Where(t => t.Connected).ToList();
        foreach (var tail in tails)
            tail.Close(drop: true);
        return ApiResponse.Ok(new JsonObject { ["dropped"] = tails.Count });
    }

    private static ApiResponse Withhold(TailStore store, JsonObject body)
    {
        var withhold = body["withhold"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Invalid("withhold must be true or false");
        var tails = Select(store, body);
        foreach (var tail in tails)
            tail.WithholdPongs = withhold;
        return ApiResponse.Ok(new JsonObject { ["tails"] = tails.Count });
    }

    private static IReadOnlyList<TailSession> Select(TailStore store, JsonObject body) =>
        body["id"]?.ToString() is { } id ? (store.Find(id) is { } t ? [t] : [])
        : body["target"]?.ToString() is { } target ? store.Of(target)
        : store.All;

    private static JsonObject Describe(TailSession t) => new()
    {
        ["id"] = t.Id,
        ["target"] = t.Target,
        ["pages"] = t.Pages,
        ["connected"] = t.Connected,
        ["debug"] = t.Debug,
        ["expires_at"] = t.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["delivered"] = Interlocked.Read(ref t.Delivered),
        ["filters"] = t.Filter.Raw.DeepClone(),
    };

    private static async Task<JsonObject> ReadBody(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
            return new JsonObject();
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw Invalid("body must be a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest(ErrorCodes.MalformedJson, "Malformed JSON in request body");
        }
    }

    private static string Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : throw Invalid($"{name} is required (a string)");

    private static double Number(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<double>(out var d) && d >= 0 ? d : throw Invalid($"{name} must be a number >= 0");

    private static ApiResponse Done(Action action)
    {
        action();
        return ApiResponse.Ok(new JsonObject());
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.InvalidBody, message);
}
