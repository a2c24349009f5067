using System.Net;
using System.Net.Http;
using CfManagement.Access;
using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Access;

/// <summary>
/// The outcome rules of Test-CfAccessServiceToken on fixed answers: each status, cookie, header and redirect that
/// real Access gives, and what the origin gives without Access in front.
/// </summary>
public class AccessVerdictTests
{
    private static readonly Uri Url = new("https://app.example.com/health");
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(12);

    private static AccessProbeResponse Answer(int status, string[]? cookies = null, string? location = null, Dictionary<string, string>? headers = null) =>
        AccessProbeResponse.Answered(status, headers ?? new Dictionary<string, string>(), cookies ?? [], location, Ms);

    private static readonly AccessProbeResponse AccessOk = Answer(200, cookies: ["CF_Authorization"]);

    [Fact]
    public void A_2xx_with_the_Access_cookie_is_Authenticated_without_a_control_request()
    {
        Assert.False(AccessVerdict.NeedsControlRequest(AccessOk));
        var verdict = AccessVerdict.Decide(Url, AccessOk, null);
        Assert.Equal(CfAccessTestOutcome.Authenticated, verdict.Outcome);
        Assert.Contains("CF_Authorization", verdict.Reason);
        Assert.Contains("With the token: Set-Cookie CF_Authorization (value withheld)", verdict.Evidence);
    }

    [Fact]
    public void A_401_is_NotAuthenticated_and_points_at_the_token()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(401, headers: new() { ["cf-ray"] = "8f00-LHR" }), null);
        Assert.Equal(CfAccessTestOutcome.NotAuthenticated, verdict.Outcome);
        Assert.StartsWith("401", verdict.Reason);
        Assert.Contains("Get-CfAccessServiceToken", verdict.RecommendedAction);
        Assert.Contains("With the token: cf-ray: 8f00-LHR", verdict.Evidence);
        Assert.False(AccessVerdict.NeedsControlRequest(Answer(401)));
    }

    [Theory]
    [InlineData(302, "https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=aud123")]
    [InlineData(303, "https://app.example.com/cdn-cgi/access/login/app.example.com")]
    public void A_redirect_to_Access_login_is_NotAuthenticated_and_says_Service_Auth(int status, string location)
    {
        var verdict = AccessVerdict.Decide(Url, Answer(status, location: location), null);
        Assert.Equal(CfAccessTestOutcome.NotAuthenticated, verdict.Outcome);
        Assert.Contains(location, verdict.Reason);
        Assert.Contains("Service Auth", verdict.RecommendedAction);
        Assert.Contains("service_auth_401_redirect", verdict.RecommendedAction);
        Assert.Contains($"With the token: redirect to {location} (not followed)", verdict.Evidence);
    }

    [Fact]
    public void A_403_from_Access_is_NotAuthorized_and_asks_for_a_policy()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(403, headers: new() { ["server"] = "cloudflare", ["cf-ray"] = "1" }), null);
        Assert.Equal(CfAccessTestOutcome.NotAuthorized, verdict.Outcome);
        Assert.Contains("Access knows the token", verdict.Reason);
        Assert.Contains("Service Auth policy", verdict.RecommendedAction);
    }

    [Fact]
    public void A_403_without_any_Access_header_is_still_NotAuthorized_but_says_it_may_be_the_origin()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(403, headers: new() { ["server"] = "nginx" }), null);
        Assert.Equal(CfAccessTestOutcome.NotAuthorized, verdict.Outcome);
        Assert.Contains("may come from the origin", verdict.Reason);
        Assert.Contains("1010", verdict.RecommendedAction);
    }

    [Fact]
    public void A_2xx_without_the_cookie_needs_the_control_request()
    {
        var ok = Answer(200);
        Assert.True(AccessVerdict.NeedsControlRequest(ok));
        Assert.Throws<InvalidOperationException>(() => AccessVerdict.Decide(Url, ok, null));
    }

    [Fact]
    public void A_2xx_with_and_without_the_token_is_NotProtected()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(200), Answer(204));
        Assert.Equal(CfAccessTestOutcome.NotProtected, verdict.Outcome);
        Assert.Contains("200 with the token and 204 without it", verdict.Reason);
        Assert.Contains("Without the token (control request): HTTP 204 in 12 ms", verdict.Evidence);
    }

    [Theory]
    [InlineData(401, null)]
    [InlineData(403, null)]
    [InlineData(302, "https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com")]
    public void A_2xx_with_the_token_and_a_refusal_without_it_is_Authenticated(int control, string? location)
    {
        var verdict = AccessVerdict.Decide(Url, Answer(200), Answer(control, location: location));
        Assert.Equal(CfAccessTestOutcome.Authenticated, verdict.Outcome);
        Assert.Contains("without it", verdict.Reason);
    }

    [Fact]
    public void A_2xx_whose_control_request_got_no_answer_is_Inconclusive()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(200), AccessProbeResponse.Unreachable("the connection was reset", Ms));
        Assert.Equal(CfAccessTestOutcome.Inconclusive, verdict.Outcome);
        Assert.Contains("the connection was reset", verdict.Reason);
    }

    [Fact]
    public void No_answer_is_Unreachable_with_the_cause()
    {
        var verdict = AccessVerdict.Decide(Url, AccessProbeResponse.Unreachable("connection refused (nothing listens on that port)", Ms), null);
        Assert.Equal(CfAccessTestOutcome.Unreachable, verdict.Outcome);
        Assert.Contains("app.example.com", verdict.Reason);
        Assert.Contains("connection refused", verdict.Reason);
        Assert.Contains("-TimeoutSec", verdict.RecommendedAction);
    }

    [Fact]
    public void A_redirect_elsewhere_is_Inconclusive_and_not_followed()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(301, location: "https://other.example.net/health"), null);
        Assert.Equal(CfAccessTestOutcome.Inconclusive, verdict.Outcome);
        Assert.Contains("not followed because the request carried the secret", verdict.Reason);
        Assert.Contains("Test-CfAccessServiceToken -Uri 'https://other.example.net/health'", verdict.RecommendedAction);
    }

    [Fact]
    public void An_origin_error_behind_Access_that_issued_its_cookie_is_Authenticated()
    {
        var verdict = AccessVerdict.Decide(Url, Answer(502, cookies: ["CF_Authorization"]), null);
        Assert.Equal(CfAccessTestOutcome.Authenticated, verdict.Outcome);
        Assert.Contains("origin behind it answered 502", verdict.Reason);
    }

    [Theory]
    [InlineData(404, "Check the URL")]
    [InlineData(500, "origin")]
    public void Other_statuses_are_Inconclusive(int status, string action)
    {
        var verdict = AccessVerdict.Decide(Url, Answer(status), null);
        Assert.Equal(CfAccessTestOutcome.Inconclusive, verdict.Outcome);
        Assert.Contains(action, verdict.RecommendedAction);
    }

    [Fact]
    public void Kept_headers_are_the_telling_ones_and_never_a_value_holding_the_secret()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.TryAddWithoutValidation("cf-ray", "8f00-LHR");
        response.Headers.TryAddWithoutValidation("Server", "cloudflare");
        response.Headers.TryAddWithoutValidation("CF-Access-Domain", "app.example.com");
        response.Headers.TryAddWithoutValidation("CF-Access-Echo", "secret=s3cr3t-value-123");
        response.Headers.TryAddWithoutValidation("X-Origin-Echo", "s3cr3t-value-123");
        response.Headers.TryAddWithoutValidation("Set-Cookie", "CF_Authorization=eyJhbGciOi.jwt.sig; Path=/; HttpOnly");
        response.Headers.TryAddWithoutValidation("Set-Cookie", "session=abc");
        var kept = AccessProbe.KeptHeaders(response, "s3cr3t-value-123");
        Assert.Equal(["cf-access-domain", "cf-access-echo", "cf-ray", "server"], kept.Keys.ToArray());
        Assert.Equal("(withheld: it contains the client secret)", kept["cf-access-echo"]);
        Assert.DoesNotContain(kept.Values, v => v.Contains("eyJ"));
        Assert.Equal(["CF_Authorization", "session"], AccessProbe.CookieNames(response));
    }

    [Fact]
    public void A_redirect_target_keeps_only_the_path_and_Access_kid()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Found);
        response.Headers.Location = new Uri("https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=aud123&redirect_url=%2Fhealth&meta=eyJhbGc.x.y");
        Assert.Equal("https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=aud123", AccessProbe.RedirectTarget(Url, response, "s3cr3t"));

        response.Headers.Location = new Uri("/login?next=1", UriKind.Relative);
        Assert.Equal("https://app.example.com/login", AccessProbe.RedirectTarget(Url, response, "s3cr3t"));

        response.Headers.Location = new Uri("https://evil.example/?echo=s3cr3t");
        Assert.Equal("(withheld: it contains the client secret)", AccessProbe.RedirectTarget(Url, response, "s3cr3t"));

        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        Assert.Null(AccessProbe.RedirectTarget(Url, ok, "s3cr3t"));
    }

    [Fact]
    public void Transport_failures_are_described_by_their_socket_error()
    {
        Assert.Equal("connection refused (nothing listens on that port)",
            AccessProbe.Describe(new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
        Assert.Equal("the host name did not resolve (DNS)",
            AccessProbe.Describe(new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound))));
        Assert.StartsWith("the TLS handshake failed",
            AccessProbe.Describe(new HttpRequestException("x", new System.Security.Authentication.AuthenticationException("bad cert"))));
    }
}
