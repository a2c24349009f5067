using System.Management.Automation.Runspaces;
using System.Net;
using System.Text;
using System.Text.Json;
using CfManagement.Emulator;

namespace CfManagement.Bench;

/// <summary>
/// f. 1,300 single puts (Set-CfWorkerSecret -NoBulk) under a scaled-down rate limit: the 60 requests per
/// 10 s with the window cut to 1 s (60 per second), so that one sample takes ~21 s instead of ~3.5 minutes. Both sides
/// of the limit are scaled: the emulator's (EmulatorOptions via <see cref="CloudflareEmulator.SetRateLimit"/>,
/// advertised as <c>Ratelimit-Policy: "default";q=60;w=1</c>) and the session's client-side budget (1200 per five
/// minutes by default, which 1,300 requests would exceed), through CFMANAGEMENT_REHEARSAL_RATE_LIMIT=60/1, read by
/// Connect-CfAccount. 1,300 is more than one real five-minute budget, as the issue intends.
/// Baselines: the rate-limit floor, computed (a sliding window of Q per W lets request k start at floor(k/Q)*W at the
/// earliest, so N requests need floor((N-1)/Q)*W), and a raw HttpClient loop that paces itself perfectly to the
/// limit (request k leaves when the answer to request k-Q is one window old, the earliest moment the server's
/// window provably holds a free slot). The module also lists the script's secrets first (one more request) and its
/// untimed Connect verified the token within the same window; at 60 per window neither moves the floor.
/// Reported with the timings: 429s the emulator answered (its rate limiter's count) and error records the cmdlet
/// wrote; the goal is zero of both.
/// </summary>
public static class WorkerSecretRateLimitScenario
{
    private const int Puts = 1300;
    public const string RehearsalVariable = "CFMANAGEMENT_REHEARSAL_RATE_LIMIT";

    /// <summary>The least time the limit allows for <paramref name="count"/> requests from an empty window.</summary>
    public static TimeSpan Floor(int count, int requests, TimeSpan window) => window * ((count - 1) / requests);

    /// <param name="requests">The scaled limit (60 per 1 s by default; bench option --rate REQUESTS/SECONDS): a limit far
    /// above what the module can send (e.g. 100000/1) shows how long its 1,300 puts take when the limit does not bind.</param>
    public static IReadOnlyList<Comparison> Run(CloudflareEmulator emulator, Runspace runspace, string connect, HttpClient http, InterleavedRunner runner, List<string> notes,
        int requests = 60, int windowSeconds = 1)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);
        var comparisons = new List<Comparison>();
        var accountId = emulator.State.AccountId;
        var sample = 0;
        int module429 = 0, raw429 = 0, moduleErrors = 0, moduleSamples = 0;
        var previousVariable = Environment.GetEnvironmentVariable(RehearsalVariable);
        Environment.SetEnvironmentVariable(RehearsalVariable, $"{requests}/{(int)window.TotalSeconds}");
        Samples timings;
        try
        {
            timings = runner.Run("f. -NoBulk under a rate limit",
                () =>
                {
                    var script = $"bench-f-module-{++sample}";
                    emulator.State.AddWorkerScript(script);
                    HostedScript.SetSecretTable(runspace, "benchSecrets", Secrets(script));
                    emulator.SetRateLimit(requests, window); // empties the window: every sample starts from the same state
                    HostedScript.Invoke(runspace, connect);  // a fresh session: a fresh governor (it learns q=60;w=1 from this answer)
                    emulator.ClearRequests();
                    var refusedBefore = emulator.RateLimitRefusals;
                    IReadOnlyList<System.Management.Automation.ErrorRecord> errors = [];
                    var timing = InterleavedRunner.Timed("module.puts", () =>
                        HostedScript.Run(runspace, $"$global:benchResults = Set-CfWorkerSecret -Script '{script}' -Secret $benchSecrets -NoBulk", out errors))();
                    var refused = emulator.RateLimitRefusals - refusedBefore;
                    var applied = Convert.ToInt32(HostedScript.Invoke(runspace, "@($benchResults | Where-Object Status -eq 'Applied').Count"));
                    module429 += refused;
                    moduleErrors += errors.Count;
                    moduleSamples++;
                    Check(emulator, script, applied, refused, "Set-CfWorkerSecret -NoBulk");
                    return timing;
                },
                () =>
                {
                    var script = $"bench-f-raw-{++sample}";
                    emulator.State.AddWorkerScript(script);
                    var secrets = Secrets(script).ToList();
                    emulator.SetRateLimit(requests, window);
                    emulator.ClearRequests();
                    var refusedBefore = emulator.RateLimitRefusals;
                    var timing = InterleavedRunner.Timed("raw.puts", () => RawPaced(http, accountId, script, secrets, requests, window))();
                    var refused = emulator.RateLimitRefusals - refusedBefore;
                    raw429 += refused;
                    Check(emulator, script, Puts, refused, "paced raw loop");
                    return timing;
                });
        }
        finally
        {
            Environment.SetEnvironmentVariable(RehearsalVariable, previousVariable);
            emulator.SetRateLimit(1_000_000, TimeSpan.FromMinutes(5)); // the other scenarios' setting
        }

        var floor = Floor(Puts, requests, window).TotalMilliseconds;
        var limit = $"{requests}/{window.TotalSeconds:0} s";
        var floors = timings["module.puts"].Select(_ => floor).ToList();
        // A limit that never binds (--rate above 1,300 per window) has a floor of zero: only the paced loop compares then.
        if (floor > 0)
            comparisons.Add(new Comparison($"f. Set-CfWorkerSecret -NoBulk, {Puts:N0} puts at {limit}", $"rate-limit floor (computed {floor / 1000:0} s)", floors, timings["module.puts"], 1.1));
        comparisons.Add(Comparison.Of(timings, floor > 0 ? "f. the same" : $"f. Set-CfWorkerSecret -NoBulk, {Puts:N0} puts at {limit}", "HttpClient loop paced to the limit", "raw.puts", "module.puts", 1.1));
        comparisons.Add(Comparison.Of(timings, "f. the same, process CPU time (incl. emulator)", "HttpClient loop paced to the limit", "raw.puts.cpu", "module.puts.cpu", null));
        if (floor > 0)
            comparisons.Add(new Comparison($"f. (paced HttpClient loop itself)", "rate-limit floor (computed)", floors, timings["raw.puts"], null));
        notes.Add($"f. 429s answered by the emulator's rate limit: {module429} to the module, {raw429} to the paced raw loop; error records written by Set-CfWorkerSecret -NoBulk: {moduleErrors} " +
                  $"(over {moduleSamples} module samples incl. warm-up, {Puts:N0} puts each; goal: zero reaching the user).");
        return comparisons;
    }

    private static IEnumerable<(string Name, string Value)> Secrets(string script) =>
        Enumerable.Range(0, Puts).Select(i => ($"SECRET_{i:D4}", $"{script}-value-{i:D4}-{Guid.NewGuid():N}"));

    /// <summary>One PUT per secret, each leaving at the earliest moment the server's sliding window allows.</summary>
    private static void RawPaced(HttpClient http, string accountId, string script, IReadOnlyList<(string Name, string Value)> secrets, int requests, TimeSpan window)
    {
        var answered = new DateTimeOffset[secrets.Count];
        for (var k = 0; k < secrets.Count; k++)
        {
            if (k >= requests)
            {
                // Thread.Sleep counts whole milliseconds (it would wake a fraction early): look again until the moment has come.
                var due = answered[k - requests] + window;
                for (var wait = due - DateTimeOffset.UtcNow; wait > TimeSpan.Zero; wait = due - DateTimeOffset.UtcNow)
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
            }
            var (name, value) = secrets[k];
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["name"] = name, ["text"] = value, ["type"] = "secret_text" });
            using var request = new HttpRequestMessage(HttpMethod.Put, $"accounts/{accountId}/workers/scripts/{script}/secrets")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            using var response = http.Send(request);
            answered[k] = DateTimeOffset.UtcNow;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                throw new InvalidOperationException($"the paced raw loop met a 429 at put {k + 1}: the pacing is wrong");
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"raw PUT answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult())}");
        }
    }

    /// <summary>Every secret stored, sent as exactly one PUT each; a 429 is reported, not hidden (the module's retry would absorb it).</summary>
    private static void Check(CloudflareEmulator emulator, string script, int reported, int refused, string who)
    {
        var stored = emulator.State.WorkerSecretNames(script).Count;
        var puts = emulator.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith($"/scripts/{script}/secrets", StringComparison.Ordinal));
        if (reported != Puts || stored != Puts || puts != Puts + refused)
            throw new InvalidOperationException($"f ({who}): {reported} reported, {stored} stored, {puts} PUT requests ({refused} refused with 429); expected {Puts} each");
    }
}
