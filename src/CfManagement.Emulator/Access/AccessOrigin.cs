using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Faults;

namespace CfManagement.Emulator.Access;

/// <summary>
/// An origin with Cloudflare Access in front of it, on the emulator's own loopback port:
/// <c>http://127.0.0.1:PORT/__access-origin/{host}/{path...}</c> stands for <c>https://{host}/{path...}</c> (any method;
/// the query string is ignored). The application whose domain covers host + path (the longest path wins; see
/// <see cref="AccessApplication.Covers"/>) guards it, deciding as <see cref="AccessGate"/> describes:
/// <list type="bullet">
/// <item>No application: 200 from the origin, NotProtected: JSON {"protected": false, host, path, method}, no Access
/// headers, no cookie.</item>
/// <item>Admitted (non_identity policy): 200 JSON {"protected": true, host, path, method, app_id, aud, common_name
/// (the client id), jwt_assertion_received: true}, plus <c>Set-Cookie: CF_Authorization=&lt;JWT&gt;</c> as Access sets it after
/// a service-token login (an unsigned stand-in, never a credential anywhere else). Bypass: the same body without
/// common_name and with "bypass": true, no cookie.</item>
/// <item>Not authenticated (nothing sent, one header only, unknown client id, wrong secret, previous secret after its
/// grace window, disabled, expired or deleted token): 401 with <c>Www-Authenticate: Cloudflare-Access
/// resource_metadata="…/.well-known/cloudflare-access-protected-resource/…"</c>.</item>
/// <item>Authenticated but not admitted (no policy names the token, or a deny policy matches it): 403.</item>
/// </list>
/// 401 and 403 carry <c>Cf-Access-Aud</c> and <c>Cf-Access-Domain</c> (the headers by which callers recognise a refusal
/// by Access rather than by the origin) and an HTML "Forbidden" page, or with <c>Accept: application/json</c> a JSON body
/// {"status", "error": "unauthenticated" | "forbidden", "message", "ray_id"} (chosen: the real JSON body is not public).
/// Every answer has <c>Server: cloudflare</c> and a <c>Cf-Ray</c>.
/// Strict mode is the application's <c>service_auth_401_redirect</c> (true by default here, the 401/403 split API-FACTS.md
/// documents). An application created with it false answers an unauthenticated token as the real edge does without it:
/// a 302 to <see cref="LoginPage"/>/{host}?kid={aud}&amp;redirect_url={path} (with Www-Authenticate and the Access headers)
/// when it has an allow policy, else 403.
/// Injected faults (POST /__emulator/faults with pathContains "/__access-origin/") apply as on the API: Reset drops the
/// connection, Latency delays the answer, Status answers that status. Each request is logged for
/// GET /__emulator/access/origin-requests (client secrets never kept). Requests here are not in the API request log.
/// </summary>
internal static class AccessOrigin
{
    public const string Prefix = "/__access-origin";

    public static async Task HandleAsync(HttpContext http, EmulatorState state, FaultInjector faults)
    {
        var request = http.Request;
        if (faults.Take(request.Method, request.Path.Value ?? "") is { } fault && await FaultAnswer.ApplyAsync(http, fault))
            return;

        var rest = (request.Path.Value ?? "")[Prefix.Length..].TrimStart('/');
        var slash = rest.IndexOf('/');
        var host = Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]).ToLowerInvariant();
        var path = slash < 0 ? "/" : rest[slash..];
        if (host.Length == 0)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("Usage: " + Prefix + "/{host}/{path}", http.RequestAborted);
            return;
        }

        var clientId = Header(request, "CF-Access-Client-Id");
        var clientSecret = Header(request, "CF-Access-Client-Secret");
        AccessApplication? app;
        AccessDecision decision;
        int status;
        lock (state.Gate)
        {
            var now = state.Now;
            app = state.Access.Apps.Where(a => a.Covers(host, path)).OrderByDescending(a => a.Path.Length).FirstOrDefault();
            decision = app is null
                ? new AccessDecision(AccessOutcome.NotProtected, "no application covers this URL", null)
                : AccessGate.Decide(state.Access, app, clientId, clientSecret, now);
            status = app is null ? decision.Status : StatusOf(app, decision);
            state.Access.AddVisit(new AccessOriginVisit(now, request.Method, host, path, clientId, !string.IsNullOrEmpty(clientSecret),
                status, decision.Outcome.ToString(), decision.Reason, app?.Id, decision.Token?.Id));
        }

        var response = http.Response;
        response.Headers["Server"] = "cloudflare";
        response.Headers["Cf-Ray"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "-EMU";
        response.StatusCode = status;
        if (app is null || decision.Outcome is AccessOutcome.Allowed or AccessOutcome.Bypassed)
            await WriteOriginAnswerAsync(http, app, decision, host, path, state.Now);
        else
            await WriteRefusalAsync(http, app, status, host, path);
    }

    /// <summary>What the origin itself answers: NotProtected, or let through by Access (with its cookie for a token).</summary>
    private static async Task WriteOriginAnswerAsync(HttpContext http, AccessApplication? app, AccessDecision decision, string host, string path, DateTimeOffset now)
    {
        var response = http.Response;
        var body = new JsonObject { ["protected"] = app is not null, ["host"] = host, ["path"] = path, ["method"] = http.Request.Method };
        if (app is not null)
        {
            body["app_id"] = app.Id;
            body["aud"] = app.Aud;
        }
        if (decision.Outcome == AccessOutcome.Bypassed)
            body["bypass"] = true;
        if (decision.Outcome == AccessOutcome.Allowed)
        {
            body["common_name"] = decision.Token!.ClientId;
            body["jwt_assertion_received"] = true;
            response.Headers.SetCookie = "CF_Authorization=" + Jwt(app!, decision.Token, now) + "; Path=/; Secure; HttpOnly; SameSite=None";
        }
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    /// <summary>Access's own refusal: 401, 403 or the login redirect, with the Access headers.</summary>
    private static async Task WriteRefusalAsync(HttpContext http, AccessApplication app, int status, string host, string path)
    {
        var request = http.Request;
        var response = http.Response;
        response.Headers["Cf-Access-Aud"] = app.Aud;
        response.Headers["Cf-Access-Domain"] = app.Domain;
        if (status is 401 or 302)
        {
            var origin = $"{request.Scheme}://{request.Host}{Prefix}/{host}";
            response.Headers.WWWAuthenticate = $"Cloudflare-Access resource_metadata=\"{origin}/.well-known/cloudflare-access-protected-resource{path}\"";
        }
        if (status == 302)
        {
            response.Headers.Location = $"{LoginPage}/{host}?kid={app.Aud}&redirect_url={Uri.EscapeDataString(path)}";
            return;
        }
        var unauthenticated = status == 401;
        var title = unauthenticated ? "Unauthorized" : "Forbidden";
        var message = unauthenticated
            ? "Unauthorized: this application requires a valid Access service token."
            : "Forbidden: you don't have permission to view this. Please contact your system administrator.";
        if (request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(new JsonObject
            {
                ["status"] = status,
                ["error"] = unauthenticated ? "unauthenticated" : "forbidden",
                ["message"] = message,
                ["ray_id"] = response.Headers["Cf-Ray"].ToString(),
            }.ToJsonString(), http.RequestAborted);
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($"<!DOCTYPE html><html><head><title>{title} | Cloudflare Access</title></head>"
            + $"<body><h1>{title}</h1><p>{message}</p></body></html>", http.RequestAborted);
    }

    /// <summary>Where a non-strict application sends a token it could not authenticate when it also has an allow policy.</summary>
    public const string LoginPage = "https://emulator.cloudflareaccess.com/cdn-cgi/access/login";

    /// <summary>
    /// The answer's status. Strict applications (service_auth_401_redirect, the default here) answer an unauthenticated
    /// token 401; others send it to the login page (302) when an allow policy offers a login, else refuse it with 403, as
    /// the real edge has been seen doing.
    /// </summary>
    private static int StatusOf(AccessApplication app, AccessDecision decision) =>
        decision.Outcome != AccessOutcome.Unauthenticated || app.ServiceAuth401Redirect ? decision.Status
        : app.Policies.Any(p => p.Decision == AccessPolicy.Allow) ? 302 : 403;

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>A JWT-shaped stand-in for Access's application token: the real claims, a random signature.</summary>
    private static string Jwt(AccessApplication app, AccessServiceToken token, DateTimeOffset now)
    {
        static string Part(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = "emulator", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(app.Aud),
            ["common_name"] = token.ClientId,
            ["type"] = "app",
            ["sub"] = "",
            ["iss"] = "https://emulator.cloudflareaccess.com",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(24).ToUnixTimeSeconds(),
        };
        return Part(header) + "." + Part(claims) + "." + Base64Url(RandomNumberGenerator.GetBytes(32));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
