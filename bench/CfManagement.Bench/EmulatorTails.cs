using System.Text;
using System.Text.Json;

namespace CfManagement.Bench;

/// <summary>The emulator's tail controls both tail scenarios use (g, h), over HTTP as a test would.</summary>
public static class EmulatorTails
{
    /// <summary>
    /// Waits (untimed) until the emulator shows a connected tail of <paramref name="target"/> whose client has sent
    /// {"debug":false}, so events generated next reach it. Fails when <paramref name="gaveUp"/> says the reader died.
    /// </summary>
    public static void WaitForConnectedTail(HttpClient http, string target, Func<bool> gaveUp, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (gaveUp()) throw new InvalidOperationException($"the reader of {target} ended before its tail connected");
            using var tails = JsonDocument.Parse(Send(http, HttpMethod.Get, "/__emulator/tails", null));
            if (tails.RootElement.GetProperty("result").EnumerateArray().Any(t =>
                    t.GetProperty("target").GetString() == target && t.GetProperty("connected").GetBoolean() &&
                    t.GetProperty("debug").ValueKind == JsonValueKind.False))
                return;
            Thread.Sleep(10);
        }
        throw new TimeoutException($"no tail of {target} connected within {limit.TotalSeconds:0} s");
    }

    /// <summary>N synthetic events (the emulator's rotating mix of kinds), unpaced: as fast as the sockets take them.</summary>
    public static void Generate(HttpClient http, string target, int eventCount) =>
        Send(http, HttpMethod.Post, "/__emulator/tails/generate", $"{{\"target\":\"{target}\",\"count\":{eventCount}}}");

    /// <summary>One call (API or admin); the body of a success, or an exception carrying the answer.</summary>
    public static string Send(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = http.Send(request);
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}
