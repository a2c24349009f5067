using System.Net;
using CfManagement.Emulator.Admin;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Faults;
using CfManagement.Emulator.Recording;
using CfManagement.Emulator.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CfManagement.Emulator;

/// <summary>
/// A stateful in-memory Cloudflare v4 API on a loopback Kestrel port.
/// <code>await using var cf = await CloudflareEmulator.StartAsync(); // cf.BaseUri = http://127.0.0.1:PORT/client/v4/</code>
/// </summary>
public sealed class CloudflareEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestLog _log;

    private CloudflareEmulator(WebApplication app, EmulatorState state, FaultInjector faults, RequestLog log, Uri baseUri)
    {
        _app = app;
        _log = log;
        State = state;
        Faults = faults;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:PORT/client/v4/ (with the trailing slash).</summary>
    public Uri BaseUri { get; }
    /// <summary>http://127.0.0.1:PORT/__access-origin/: the Access-protected test origin; append "host/path" (see Access.AccessOrigin).</summary>
    public Uri AccessOriginUri => new(BaseUri, Access.AccessOrigin.Prefix + "/");
    public EmulatorState State { get; }
    public FaultInjector Faults { get; }
    /// <summary>Every /client/v4 request received (admin requests excluded), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    public void ClearRequests() => _log.Clear();

    /// <summary>Requests refused with 429 by the rate limit (injected RateLimit faults not included).</summary>
    public int RateLimitRefusals => State.RateLimiter.Refused;

    /// <summary>
    /// Sets the rate-limit policy from now on: <paramref name="requests"/> per <paramref name="window"/> per token,
    /// advertised on every answer as <c>Ratelimit: "default";r=R;t=T</c> and <c>Ratelimit-Policy: "default";q=Q;w=W</c>.
    /// </summary>
    public void SetRateLimit(int requests, TimeSpan window) => State.RateLimiter.SetPolicy(requests, window);

    public static async Task<CloudflareEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        if (!Ids.IsHexId(options.AccountId))
            throw new ArgumentException("AccountId must be 32 lowercase hex characters.", nameof(options));

        var state = new EmulatorState(options);
        var faults = new FaultInjector();
        var log = new RequestLog();
        var pipeline = new ApiPipeline(state, options, faults, log);
        var admin = new AdminEndpoints(state, faults, log);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddLogging(); // the WebSocket middleware needs a logger factory; no provider, so nothing is printed
        var app = builder.Build();
        app.UseWebSockets();
        // The tail socket is served outside the API pipeline: it must not hold the state's gate while it streams.
        app.Run(http => http.Request.Path.StartsWithSegments(Tail.TailSocketEndpoint.Prefix) ? Tail.TailSocketEndpoint.HandleAsync(http, state)
            : http.Request.Path.StartsWithSegments(AdminEndpoints.Prefix) ? admin.HandleAsync(http)
            : http.Request.Path.StartsWithSegments(Access.AccessOrigin.Prefix) ? Access.AccessOrigin.HandleAsync(http, state, faults)
            : pipeline.HandleAsync(http));

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new CloudflareEmulator(app, state, faults, log, new Uri($"http://127.0.0.1:{port}{ApiPipeline.Prefix}/"));
    }

    public async ValueTask DisposeAsync()
    {
        State.Tails.Clear(); // closes every tail socket: the server's stop waits for open requests
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (State.Gate)
            State.D1.Clear();
    }
}
