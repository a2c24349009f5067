using System.Net;

namespace CfManagement.Tests.Http;

/// <summary>
/// The wire, scripted: each call takes the next step (a response or an exception to throw) and is counted, so a test
/// sees exactly how many attempts the pipeline made.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _steps = new();

    public int Calls { get; private set; }

    public ScriptedHandler Respond(HttpStatusCode status, int times = 1, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
            _steps.Enqueue(() =>
            {
                var response = new HttpResponseMessage(status);
                if (retryAfter is { } wait) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                return response;
            });
        return this;
    }

    public ScriptedHandler Fail(int times = 1)
    {
        for (var i = 0; i < times; i++) _steps.Enqueue(() => throw new HttpRequestException("connection reset"));
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Calls++;
        if (_steps.Count == 0) throw new InvalidOperationException($"unscripted call #{Calls}");
        return Task.FromResult(_steps.Dequeue()());
    }
}
