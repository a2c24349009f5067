using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using CfManagement.Api;
using CfManagement.Http;
using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Access;

/// <summary>
/// The Access service token client on a scripted wire, through the session's real pipeline (retry, auth): paths,
/// bodies, the shape it reads, the secret moved into a SecureString, and which calls are retried after a 5xx or reset.
/// </summary>
public class AccessServiceTokensApiTests : IDisposable
{
    private const string Account = "0123456789abcdef0123456789abcdef";
    private const string Secret = "bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5";
    private readonly Wire _wire = new();
    private readonly IDisposable _owner;
    private readonly AccessServiceTokensApi _api;

    public AccessServiceTokensApiTests()
    {
        var token = new SecureString();
        foreach (var c in "test-token") token.AppendChar(c);
        var (http, owner) = HttpPipelineFactory.Create(new Uri("https://api.example/client/v4/"), () => token,
            new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) }, _wire);
        _owner = owner;
        _api = new AccessServiceTokensApi(new CloudflareClient(http));
    }

    public void Dispose() => _owner.Dispose();

    private static object TokenJson(string id = "5e3c1f4a-0000-4000-8000-000000000001", string? secret = null) => new
    {
        id, client_id = "88bf3b6d86161464f6509f7219099e57.access.example.com", name = "ci-registry", duration = "8760h",
        expires_at = "2027-11-30T10:00:00Z", created_at = "2026-11-30T10:00:00Z", updated_at = "2026-11-30T10:00:00Z",
        last_seen_at = "2026-11-30T11:00:00Z", enabled = true, client_secret = secret,
    };

    [Fact]
    public async Task Create_posts_name_and_duration_and_returns_the_secret_only_as_a_SecureString()
    {
        _wire.Ok(TokenJson(secret: Secret), HttpStatusCode.Created);
        AccessDuration.TryParse("720h", out var duration, out _);
        var issued = await _api.CreateAsync(Account, "ci-registry", duration, CancellationToken.None);

        var request = Assert.Single(_wire.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/client/v4/accounts/{Account}/access/service_tokens", request.Path);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("ci-registry", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("720h", body.RootElement.GetProperty("duration").GetString());
        Assert.Equal(Secret, Plain(issued.ClientSecret));
        var token = issued.ServiceToken;
        Assert.Equal("88bf3b6d86161464f6509f7219099e57.access.example.com", token.ClientId);
        Assert.Equal(new DateTimeOffset(2027, 11, 30, 10, 0, 0, TimeSpan.Zero), token.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero), token.LastSeenAt);
        Assert.Equal(Account, token.AccountId);
        Assert.DoesNotContain(Secret, token.ToString() + issued + JsonSerializer.Serialize(token));
    }

    [Fact]
    public async Task Create_without_duration_sends_no_duration_and_reads_a_token_without_last_seen_at()
    {
        _wire.Ok(new { id = "a1", client_id = "c1.access", name = "n", client_secret = Secret, created_at = "2026-11-30T10:00:00Z" }, HttpStatusCode.Created);
        var issued = await _api.CreateAsync(Account, "n", null, CancellationToken.None);
        Assert.DoesNotContain("duration", _wire.Requests[0].Body);
        Assert.Null(issued.ServiceToken.LastSeenAt);
        Assert.Null(issued.ServiceToken.ExpiresAt);
        Assert.Null(issued.ServiceToken.DaysLeft);
        Assert.Equal(AccessDuration.Default, issued.ServiceToken.Duration);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData((HttpStatusCode)0)] // a reset
    public async Task Create_is_never_retried_after_a_5xx_or_a_reset(HttpStatusCode status)
    {
        if (status == 0) _wire.Reset(3); else _wire.Status(status, 3);
        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() => _api.CreateAsync(Account, "n", null, CancellationToken.None));
        Assert.Single(_wire.Requests);
        Assert.Equal(status == 0 ? ApiFailureKind.Connection : ApiFailureKind.Response, ex.Kind);
    }

    [Fact]
    public async Task Create_is_retried_after_a_429_because_Cloudflare_did_not_process_it()
    {
        _wire.Status((HttpStatusCode)429, 1, retryAfter: TimeSpan.Zero).Ok(TokenJson(secret: Secret), HttpStatusCode.Created);
        var issued = await _api.CreateAsync(Account, "n", null, CancellationToken.None);
        Assert.Equal(2, _wire.Requests.Count);
        Assert.Equal(Secret, Plain(issued.ClientSecret));
    }

    [Fact]
    public async Task Rotate_sends_the_grace_end_in_RFC3339_and_is_never_retried()
    {
        _wire.Ok(TokenJson(secret: Secret));
        var grace = new DateTimeOffset(2026, 12, 1, 8, 30, 15, TimeSpan.FromHours(2));
        var issued = await _api.RotateAsync(Account, "t1", grace, CancellationToken.None);
        var request = Assert.Single(_wire.Requests);
        Assert.Equal($"/client/v4/accounts/{Account}/access/service_tokens/t1/rotate", request.Path);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("2026-12-01T06:30:15Z", body.RootElement.GetProperty("previous_client_secret_expires_at").GetString());
        Assert.Equal(Secret, Plain(issued.ClientSecret));

        _wire.Status(HttpStatusCode.BadGateway, 3);
        await Assert.ThrowsAsync<CloudflareApiException>(() => _api.RotateAsync(Account, "t1", null, CancellationToken.None));
        Assert.Equal(2, _wire.Requests.Count);
    }

    [Fact]
    public async Task Rotate_without_grace_sends_an_empty_body_so_the_old_secret_dies_at_once()
    {
        _wire.Ok(TokenJson(secret: Secret));
        await _api.RotateAsync(Account, "t1", null, CancellationToken.None);
        Assert.Equal("{}", _wire.Requests[0].Body);
    }

    [Fact]
    public async Task An_answer_without_a_secret_is_a_protocol_error()
    {
        _wire.Ok(TokenJson());
        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() => _api.RotateAsync(Account, "t1", null, CancellationToken.None));
        Assert.Equal(ApiFailureKind.Protocol, ex.Kind);
    }

    [Fact]
    public async Task Refresh_update_delete_and_get_are_retried_after_a_5xx()
    {
        _wire.Status(HttpStatusCode.ServiceUnavailable).Ok(TokenJson());
        await _api.RefreshAsync(Account, "t1", CancellationToken.None);
        Assert.Equal("/client/v4/accounts/" + Account + "/access/service_tokens/t1/refresh", _wire.Requests[1].Path);
        Assert.Equal("POST", _wire.Requests[1].Method);

        AccessDuration.TryParse("forever", out var forever, out _);
        _wire.Reset().Ok(TokenJson());
        await _api.UpdateAsync(Account, "t1", "renamed", forever!, CancellationToken.None);
        Assert.Equal("PUT", _wire.Requests[3].Method);
        using (var body = JsonDocument.Parse(_wire.Requests[3].Body!))
        {
            Assert.Equal("renamed", body.RootElement.GetProperty("name").GetString());
            Assert.Equal("forever", body.RootElement.GetProperty("duration").GetString());
        }

        _wire.Status(HttpStatusCode.InternalServerError).Ok(TokenJson());
        await _api.DeleteAsync(Account, "t1", CancellationToken.None);
        Assert.Equal("DELETE", _wire.Requests[5].Method);

        _wire.Reset().Ok(TokenJson());
        var token = await _api.GetAsync(Account, "t1", CancellationToken.None);
        Assert.Equal("ci-registry", token.Name);
        Assert.Equal(8, _wire.Requests.Count);
    }

    [Fact]
    public async Task FindByName_filters_at_Cloudflare_pages_through_and_keeps_exact_names_only()
    {
        _wire.Page(50, 120, i => new { id = $"p1-{i}", client_id = "c", name = i == 3 ? "CI" : "ci-other" })
             .Page(50, 120, i => new { id = $"p2-{i}", client_id = "c", name = "ci-other" })
             .Page(20, 120, i => new { id = $"p3-{i}", client_id = "c", name = i == 0 ? "ci" : "ci-other" });
        var found = await _api.FindByNameAsync(Account, "ci", CancellationToken.None);
        Assert.Equal(new[] { "p1-3", "p3-0" }, found.Select(t => t.Id));
        Assert.All(_wire.Requests, r => Assert.Contains("name=ci", r.Query));
        Assert.Contains("page=3", _wire.Requests[2].Query);
    }

    private static string Plain(SecureString s) => new System.Net.NetworkCredential("", s).Password;

    /// <summary>Scripted answers; records method, path, query and body of each request.</summary>
    private sealed class Wire : HttpMessageHandler
    {
        private readonly Queue<Func<HttpResponseMessage>> _steps = new();
        public List<(string Method, string Path, string Query, string? Body)> Requests { get; } = new();

        public Wire Ok(object result, HttpStatusCode status = HttpStatusCode.OK)
        {
            _steps.Enqueue(() => Json(status, new { success = true, errors = Array.Empty<object>(), messages = Array.Empty<object>(), result }));
            return this;
        }

        public Wire Page(int items, int total, Func<int, object> item)
        {
            var result = Enumerable.Range(0, items).Select(item).ToArray();
            _steps.Enqueue(() => Json(HttpStatusCode.OK, new
            {
                success = true, errors = Array.Empty<object>(), messages = Array.Empty<object>(), result,
                result_info = new { page = 0, per_page = 50, count = items, total_count = total },
            }));
            return this;
        }

        public Wire Status(HttpStatusCode status, int times = 1, TimeSpan? retryAfter = null)
        {
            for (var i = 0; i < times; i++)
                _steps.Enqueue(() =>
                {
                    var response = Json(status, new { success = false, errors = new[] { new { code = 10001, message = "failure" } }, messages = Array.Empty<object>(), result = (object?)null });
                    if (retryAfter is { } wait) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                    return response;
                });
            return this;
        }

        public Wire Reset(int times = 1)
        {
            for (var i = 0; i < times; i++) _steps.Enqueue(() => throw new HttpRequestException("connection reset"));
            return this;
        }

        private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
            new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body));
            if (_steps.Count == 0) throw new InvalidOperationException($"unscripted request #{Requests.Count}: {request.RequestUri}");
            return _steps.Dequeue()();
        }
    }
}
