using System.Net;
using System.Text;
using CfManagement.Api;

namespace CfManagement.Tests.Workers;

/// <summary>Answers each request with the next canned Cloudflare result and keeps what was sent (method, path and query, body).</summary>
internal sealed class RecordingWire : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Json)> _answers = new();

    public List<(string Method, string PathAndQuery, string? Body, string? ContentType)> Sent { get; } = new();

    /// <summary>A successful envelope around <paramref name="resultJson"/>.</summary>
    public RecordingWire Result(string resultJson)
    {
        _answers.Enqueue((HttpStatusCode.OK, $$"""{"success":true,"errors":[],"messages":[],"result":{{resultJson}}}"""));
        return this;
    }

    public RecordingWire Error(HttpStatusCode status, int code, string message)
    {
        _answers.Enqueue((status, $$"""{"success":false,"errors":[{"code":{{code}},"message":"{{message}}"}],"messages":[],"result":null}"""));
        return this;
    }

    public CloudflareClient Client() => new(new HttpClient(this) { BaseAddress = new Uri("https://api.example/client/v4/") });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Sent.Add((request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Content?.Headers.ContentType?.MediaType));
        if (_answers.Count == 0) throw new InvalidOperationException($"unscripted request {request.Method} {request.RequestUri}");
        var (status, json) = _answers.Dequeue();
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
