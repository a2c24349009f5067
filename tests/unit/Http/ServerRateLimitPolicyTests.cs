using System.Diagnostics;
using System.Text.Json;
using CfManagement.Api;
using CfManagement.Emulator;
using CfManagement.Http;
using Xunit;
using Xunit.Abstractions;

namespace CfManagement.Tests.Http;

/// <summary>
/// The real session pipeline against the emulator advertising a tight policy (Ratelimit / Ratelimit-Policy headers):
/// the client reads the headers and paces itself, so the server refuses nothing while the run takes barely longer than
/// the policy requires. The client-side budget stays at its default (1200 per 5 minutes), which never binds here.
/// It measures time, so it runs alone (not beside the other test classes, which would compete for the 2 cores).
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ServerRateLimitPolicyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Quota = 60;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private CloudflareEmulator _cf = null!;

    public async Task InitializeAsync() =>
        _cf = await CloudflareEmulator.StartAsync(new EmulatorOptions { RateLimitRequests = Quota, RateLimitWindow = Window });

    public async Task DisposeAsync() => await _cf.DisposeAsync();

    /// <summary>Times each request on the wire (below the governor, authentication and diagnostics).</summary>
    private sealed class WireTimer() : DelegatingHandler(new HttpClientHandler())
    {
        public List<TimeSpan> Durations { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            try { return await base.SendAsync(request, cancellationToken); }
            finally { lock (Durations) Durations.Add(watch.Elapsed); }
        }
    }

    private (CloudflareClient Client, IDisposable Owner) Pipeline(string tokenValue, HttpMessageHandler? wire = null)
    {
        var token = new System.Security.SecureString();
        foreach (var c in tokenValue) token.AppendChar(c);
        token.MakeReadOnly();
        var (http, owner) = HttpPipelineFactory.Create(_cf.BaseUri, () => token, new RetryOptions { MaxRetryAfter = TimeSpan.FromSeconds(30) }, wire);
        return (new CloudflareClient(http), owner);
    }

    [Fact]
    public async Task Paced_by_the_servers_headers_150_requests_get_no_429_and_stay_within_110_percent_of_the_floor()
    {
        const int requests = 150;
        // Warm up (JIT) on another token: the emulator counts each token on its own.
        var (warm, warmOwner) = Pipeline(_cf.State.OpsTokenValue);
        using (warmOwner)
            for (var i = 0; i < 10; i++) await warm.GetAsync<JsonElement>("user/tokens/verify", CancellationToken.None);
        _cf.ClearRequests();

        var wire = new WireTimer();
        var (client, owner) = Pipeline(_cf.State.AdminTokenValue, wire);
        var calls = new List<TimeSpan>();
        var watch = Stopwatch.StartNew();
        using (owner)
            for (var i = 0; i < requests; i++)
            {
                var start = watch.Elapsed;
                await client.GetAsync<JsonElement>("user/tokens/verify", CancellationToken.None);
                calls.Add(watch.Elapsed - start);
            }
        watch.Stop();

        // The floor the policy alone sets: 60 at once, then 60 more each time a window has passed,
        // (ceil(150/60) - 1) * 2 s = 4 s. An oracle client that knows the policy exactly also pays for each request's
        // own time: replay the schedule with the measured wire times (and the median client-side overhead per call),
        // starting request i no earlier than request i-60 started plus the window.
        var policyFloor = TimeSpan.FromTicks(Window.Ticks * ((requests + Quota - 1) / Quota - 1));
        var overhead = calls.Zip(wire.Durations, (call, onWire) => call - onWire).OrderBy(t => t).ElementAt(requests / 2);
        var starts = new TimeSpan[requests];
        for (var i = 0; i < requests; i++)
        {
            var next = i == 0 ? TimeSpan.Zero : starts[i - 1] + wire.Durations[i - 1] + overhead;
            if (i >= Quota && starts[i - Quota] + Window > next) next = starts[i - Quota] + Window;
            starts[i] = next;
        }
        var oracle = starts[requests - 1] + wire.Durations[requests - 1];
        var floor = oracle > policyFloor ? oracle : policyFloor;

        var refused = _cf.RateLimitRefusals;
        var sent = _cf.Requests.Count;
        output.WriteLine($"{requests} requests, {sent} sent, {refused} refused with 429, {watch.Elapsed.TotalSeconds:0.000} s; " +
                         $"policy floor {policyFloor.TotalSeconds:0.###} s (ratio {watch.Elapsed.TotalSeconds / policyFloor.TotalSeconds:0.000}); " +
                         $"oracle floor {floor.TotalSeconds:0.000} s (ratio {watch.Elapsed.TotalSeconds / floor.TotalSeconds:0.000}); " +
                         $"median call overhead {overhead.TotalMilliseconds:0.##} ms; calls over 20 ms: " +
                         string.Join(", ", calls.Select((d, i) => (d, i)).Where(x => x.d > TimeSpan.FromMilliseconds(20))
                             .Select(x => $"#{x.i + 1} {x.d.TotalMilliseconds:0} ms (wire {wire.Durations[x.i].TotalMilliseconds:0} ms)")));
        Assert.Equal(0, refused);
        Assert.Equal(requests, sent);
        Assert.True(watch.Elapsed >= policyFloor, $"faster than the policy allows: {watch.Elapsed}");
        Assert.True(watch.Elapsed <= TimeSpan.FromTicks((long)(floor.Ticks * 1.1)) + TimeSpan.FromSeconds(0.5),
            $"{watch.Elapsed.TotalSeconds:0.000} s is more than 1.1 x the {floor.TotalSeconds:0.###} s floor (+0.5 s)");
    }

    [Fact]
    public async Task The_policy_set_at_run_time_is_advertised_and_enforced()
    {
        _cf.SetRateLimit(3, TimeSpan.FromSeconds(10));
        using var http = new HttpClient();
        HttpResponseMessage Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_cf.BaseUri, "user/tokens/verify"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _cf.State.AdminTokenValue);
            return http.Send(request);
        }
        for (var i = 0; i < 3; i++)
        {
            using var ok = Send();
            Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
            var info = RateLimitHeaders.Read(ok)!;
            Assert.Equal(2 - i, info.Remaining);
            Assert.Equal(3, Assert.Single(info.Policies).Quota);
            Assert.Equal(TimeSpan.FromSeconds(10), info.Policies[0].Window);
        }
        using var refused = Send();
        Assert.Equal((System.Net.HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(1, _cf.RateLimitRefusals);
        await Task.CompletedTask;
    }
}

/// <summary>Tests that measure elapsed time run in this collection, after the parallel ones and on their own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
