using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>
/// Contract of the Access-protected origin (Access/AccessOrigin, AccessGate), the admin API that makes applications
/// (Access/AccessAdmin) and GET /access/apps: 401 / 403 / 200 / NotProtected, grace windows, expiry, disable, delete.
/// </summary>
public sealed class AccessOriginTests : EmulatorTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);

    protected override EmulatorOptions Options => new() { Clock = _clock };

    private string Tokens => $"accounts/{AccountId}/access/service_tokens";

    private sealed record Credential(string Id, string ClientId, string Secret);

    private sealed record OriginReply(HttpStatusCode Status, HttpResponseHeaders Headers, string Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
        public string? Header(string name) => Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;
    }

    private async Task<Credential> NewToken(string name = "svc", string? duration = null)
    {
        var body = new JsonObject { ["name"] = name };
        if (duration is not null)
            body["duration"] = duration;
        var reply = await Send("POST", Tokens, State.AdminTokenValue, body);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return new Credential(reply.Result!["id"]!.GetValue<string>(), reply.Result!["client_id"]!.GetValue<string>(),
            reply.Result!["client_secret"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, JsonObject Json)> Admin(string method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Cf.BaseUri, "/__emulator/access" + path));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static JsonObject ServiceAuth(params JsonObject[] include) => new()
    {
        ["name"] = "service auth",
        ["decision"] = "non_identity",
        ["include"] = new JsonArray(include.Select(r => (JsonNode?)r).ToArray()),
    };

    private static JsonObject TokenRule(Credential token) => new() { ["service_token"] = new JsonObject { ["token_id"] = token.Id } };
    private static JsonObject AnyToken() => new() { ["any_valid_service_token"] = new JsonObject() };

    private async Task<JsonObject> NewApp(string domain, params JsonObject[] policies)
    {
        var (status, json) = await Admin("POST", "/apps", new JsonObject
        {
            ["domain"] = domain,
            ["policies"] = new JsonArray(policies.Select(p => (JsonNode?)p).ToArray()),
        });
        Assert.True(status == HttpStatusCode.Created, json.ToJsonString());
        return json["result"]!.AsObject();
    }

    private async Task<OriginReply> Call(string hostAndPath, Credential? token = null, string? secret = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cf.AccessOriginUri, hostAndPath));
        if (token is not null)
        {
            request.Headers.Add("CF-Access-Client-Id", token.ClientId);
            request.Headers.Add("CF-Access-Client-Secret", secret ?? token.Secret);
        }
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        using var response = await Http.SendAsync(request);
        return new OriginReply(response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync());
    }

    private static void AssertUnauthenticated(OriginReply reply, JsonObject app)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(app["aud"]!.GetValue<string>(), reply.Header("Cf-Access-Aud"));
        Assert.Equal(app["domain"]!.GetValue<string>(), reply.Header("Cf-Access-Domain"));
        Assert.StartsWith("Cloudflare-Access resource_metadata=\"", reply.Header("WWW-Authenticate"));
    }

    private static void AssertForbidden(OriginReply reply, JsonObject app)
    {
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(app["aud"]!.GetValue<string>(), reply.Header("Cf-Access-Aud"));
        Assert.Equal(app["domain"]!.GetValue<string>(), reply.Header("Cf-Access-Domain"));
        Assert.Null(reply.Header("WWW-Authenticate"));
    }

    private static void AssertAllowed(OriginReply reply, Credential token)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status} {reply.Body}");
        Assert.True(reply.Json["protected"]!.GetValue<bool>());
        Assert.Equal(token.ClientId, reply.Json["common_name"]!.GetValue<string>());
        Assert.StartsWith("CF_Authorization=", reply.Header("Set-Cookie"));
    }

    [Fact]
    public async Task A_url_without_an_application_is_served_plainly_as_NotProtected()
    {
        var token = await NewToken();
        await NewApp("app.example.com/admin", ServiceAuth(TokenRule(token)));
        foreach (var url in new[] { "other.example.com/", "app.example.com/", "app.example.com/administrator", "app.example.com/public/admin" })
        {
            var reply = await Call(url, token);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.False(reply.Json["protected"]!.GetValue<bool>());
            Assert.Null(reply.Header("Cf-Access-Aud"));
            Assert.Null(reply.Header("Cf-Access-Domain"));
            Assert.Null(reply.Header("Set-Cookie"));
            Assert.Equal("cloudflare", reply.Headers.Server.ToString());
        }
        AssertAllowed(await Call("app.example.com/admin", token), token);
        AssertAllowed(await Call("APP.example.com/admin/users/1", token), token);
    }

    [Fact]
    public async Task Credentials_that_do_not_authenticate_get_401_with_the_Access_headers()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));

        AssertUnauthenticated(await Call("api.example.com/v1"), app);
        AssertUnauthenticated(await Call("api.example.com/v1", token, secret: new string('0', 64)), app);
        AssertUnauthenticated(await Call("api.example.com/v1", token with { ClientId = new string('a', 32) + ".access" }), app);

        using var idOnly = new HttpRequestMessage(HttpMethod.Get, new Uri(Cf.AccessOriginUri, "api.example.com/v1"));
        idOnly.Headers.Add("CF-Access-Client-Id", token.ClientId);
        using var idOnlyReply = await Http.SendAsync(idOnly);
        Assert.Equal(HttpStatusCode.Unauthorized, idOnlyReply.StatusCode);

        var html = await Call("api.example.com/v1");
        Assert.Contains("<html>", html.Body);
        var json = await Call("api.example.com/v1", accept: "application/json");
        Assert.Equal(401, json.Json["status"]!.GetValue<int>());
        Assert.Equal("unauthenticated", json.Json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_valid_token_no_policy_admits_gets_403_and_an_included_one_200()
    {
        var included = await NewToken("included");
        var other = await NewToken("other");
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(included)));

        AssertForbidden(await Call("api.example.com/", other), app);
        var json = await Call("api.example.com/", other, accept: "application/json");
        Assert.Equal("forbidden", json.Json["error"]!.GetValue<string>());

        var allowed = await Call("api.example.com/x?y=1", included);
        AssertAllowed(allowed, included);
        Assert.Equal(app["id"]!.GetValue<string>(), allowed.Json["app_id"]!.GetValue<string>());
        Assert.Equal("/x", allowed.Json["path"]!.GetValue<string>());
        var jwtClaims = allowed.Header("Set-Cookie")!.Split('=', 2)[1].Split(';')[0].Split('.')[1];
        var claims = JsonNode.Parse(Convert.FromBase64String(jwtClaims.Replace('-', '+').Replace('_', '/').PadRight((jwtClaims.Length + 3) / 4 * 4, '=')))!;
        Assert.Equal(included.ClientId, claims["common_name"]!.GetValue<string>());
        Assert.Equal(app["aud"]!.GetValue<string>(), claims["aud"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Any_valid_service_token_admits_every_token_and_deny_and_exclude_refuse()
    {
        var one = await NewToken("one");
        var two = await NewToken("two");
        var app = await NewApp("api.example.com",
            new JsonObject { ["decision"] = "deny", ["include"] = new JsonArray(TokenRule(two)) },
            ServiceAuth(AnyToken()));
        AssertAllowed(await Call("api.example.com/", one), one);
        AssertForbidden(await Call("api.example.com/", two), app);
        AssertUnauthenticated(await Call("api.example.com/"), app);

        var (status, _) = await Admin("PUT", $"/apps/{app["id"]}/policies", new JsonObject
        {
            ["policies"] = new JsonArray(new JsonObject
            {
                ["decision"] = "non_identity", ["include"] = new JsonArray(AnyToken()), ["exclude"] = new JsonArray(TokenRule(one)),
            }),
        });
        Assert.Equal(HttpStatusCode.OK, status);
        AssertForbidden(await Call("api.example.com/", one), app);
        AssertAllowed(await Call("api.example.com/", two), two);
    }

    [Fact]
    public async Task An_allow_policy_never_admits_a_service_token_and_bypass_admits_anybody()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", new JsonObject { ["decision"] = "allow", ["include"] = new JsonArray(AnyToken()) });
        AssertForbidden(await Call("api.example.com/", token), app);

        await NewApp("api.example.com/health", new JsonObject { ["decision"] = "bypass", ["include"] = new JsonArray(new JsonObject { ["everyone"] = new JsonObject() }) });
        var bypassed = await Call("api.example.com/health");
        Assert.Equal(HttpStatusCode.OK, bypassed.Status);
        Assert.True(bypassed.Json["bypass"]!.GetValue<bool>());
        Assert.Null(bypassed.Header("Set-Cookie"));
    }

    [Fact]
    public async Task Rotation_with_a_grace_window_lets_both_secrets_pass_until_it_ends_then_only_the_new()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        var rotated = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-01T13:00:00Z" });
        AssertOk(rotated);
        var fresh = token with { Secret = rotated.Result!["client_secret"]!.GetValue<string>() };

        AssertAllowed(await Call("api.example.com/", token), token);
        AssertAllowed(await Call("api.example.com/", fresh), fresh);
        _clock.Advance(TimeSpan.FromMinutes(59));
        AssertAllowed(await Call("api.example.com/", token), token);

        _clock.Advance(TimeSpan.FromMinutes(1));
        AssertUnauthenticated(await Call("api.example.com/", token), app);
        AssertAllowed(await Call("api.example.com/", fresh), fresh);
    }

    [Fact]
    public async Task Rotation_without_a_grace_window_kills_the_old_secret_at_once()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        AssertAllowed(await Call("api.example.com/", token), token);

        var rotated = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue);
        var fresh = token with { Secret = rotated.Result!["client_secret"]!.GetValue<string>() };
        AssertUnauthenticated(await Call("api.example.com/", token), app);
        AssertAllowed(await Call("api.example.com/", fresh), fresh);

        // A grace time in the past is no grace either.
        var again = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2020-01-01T00:00:00Z" });
        AssertUnauthenticated(await Call("api.example.com/", fresh), app);
        AssertAllowed(await Call("api.example.com/", token with { Secret = again.Result!["client_secret"]!.GetValue<string>() }), token);
    }

    [Fact]
    public async Task The_grace_window_can_be_moved_later_or_ended_now_by_update_and_a_second_rotation_ends_it()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        var first = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-01T12:30:00Z" });
        var second = token with { Secret = first.Result!["client_secret"]!.GetValue<string>() };

        AssertOk(await Send("PUT", $"{Tokens}/{token.Id}", State.AdminTokenValue, new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-01T14:00:00Z" }));
        _clock.Advance(TimeSpan.FromHours(1));
        AssertAllowed(await Call("api.example.com/", token), token);

        AssertOk(await Send("PUT", $"{Tokens}/{token.Id}", State.AdminTokenValue, new JsonObject { ["previous_client_secret_expires_at"] = "2000-01-01T00:00:00Z" }));
        AssertUnauthenticated(await Call("api.example.com/", token), app);
        AssertAllowed(await Call("api.example.com/", second), second);

        // Only one previous secret exists: rotating again with grace keeps the second, not the first.
        var third = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-02T00:00:00Z" });
        AssertAllowed(await Call("api.example.com/", second), second);
        AssertAllowed(await Call("api.example.com/", token with { Secret = third.Result!["client_secret"]!.GetValue<string>() }), token);
        AssertUnauthenticated(await Call("api.example.com/", token), app);
    }

    [Fact]
    public async Task Disabled_expired_and_deleted_tokens_fail_and_refresh_or_enable_revives()
    {
        var token = await NewToken("t", "60m");
        var app = await NewApp("api.example.com", ServiceAuth(AnyToken()));
        var rotated = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-01T12:30:00Z" });
        var fresh = token with { Secret = rotated.Result!["client_secret"]!.GetValue<string>() };

        AssertOk(await Send("PUT", $"{Tokens}/{token.Id}", State.AdminTokenValue, "{\"enabled\":false}"));
        AssertUnauthenticated(await Call("api.example.com/", fresh), app);
        AssertUnauthenticated(await Call("api.example.com/", token), app);
        AssertOk(await Send("PUT", $"{Tokens}/{token.Id}", State.AdminTokenValue, "{\"enabled\":true}"));
        AssertAllowed(await Call("api.example.com/", fresh), fresh);

        _clock.Advance(TimeSpan.FromMinutes(60));
        AssertUnauthenticated(await Call("api.example.com/", fresh), app);
        AssertOk(await Send("POST", $"{Tokens}/{token.Id}/refresh", State.AdminTokenValue));
        AssertAllowed(await Call("api.example.com/", fresh), fresh);

        AssertOk(await Send("DELETE", $"{Tokens}/{token.Id}", State.AdminTokenValue));
        AssertUnauthenticated(await Call("api.example.com/", fresh), app);
    }

    [Fact]
    public async Task The_origin_sets_last_seen_at_when_it_authenticates_the_token()
    {
        var token = await NewToken();
        var unseen = await NewToken("unseen");
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(unseen)));
        _clock.Advance(TimeSpan.FromMinutes(5));
        AssertForbidden(await Call("api.example.com/", token), app);
        var get = await Send("GET", $"{Tokens}/{token.Id}", State.AdminTokenValue);
        Assert.Equal(Start.AddMinutes(5), DateTimeOffset.Parse(get.Result!["last_seen_at"]!.GetValue<string>()));
        Assert.Null((await Send("GET", $"{Tokens}/{unseen.Id}", State.AdminTokenValue)).Result!["last_seen_at"]);
    }

    [Fact]
    public async Task A_token_a_policy_names_cannot_be_deleted_until_the_policy_lets_go()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        var refused = await Send("DELETE", $"{Tokens}/{token.Id}", State.AdminTokenValue);
        AssertError(refused, HttpStatusCode.BadRequest, ErrorCodes.AccessServiceTokenInUse);
        Assert.Single(State.AccessServiceTokenIds);

        var (status, _) = await Admin("PUT", $"/apps/{app["id"]}/policies", new JsonObject { ["policies"] = new JsonArray(ServiceAuth(AnyToken())) });
        Assert.Equal(HttpStatusCode.OK, status);
        AssertOk(await Send("DELETE", $"{Tokens}/{token.Id}", State.AdminTokenValue));
    }

    [Fact]
    public async Task The_origin_log_records_every_outcome_and_never_a_secret()
    {
        var token = await NewToken();
        var other = await NewToken("other");
        await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        await Call("plain.example.com/");
        await Call("api.example.com/", token);
        await Call("api.example.com/", other);
        await Call("api.example.com/", token, secret: "wrong-secret");

        var (status, json) = await Admin("GET", "/origin-requests");
        Assert.Equal(HttpStatusCode.OK, status);
        var visits = json["result"]!.AsArray();
        Assert.Equal(["NotProtected", "Allowed", "Forbidden", "Unauthenticated"], visits.Select(v => v!["outcome"]!.GetValue<string>()));
        Assert.Equal([200, 200, 403, 401], visits.Select(v => v!["status"]!.GetValue<int>()));
        Assert.Equal(token.ClientId, visits[1]!["client_id"]!.GetValue<string>());
        Assert.True(visits[1]!["secret_sent"]!.GetValue<bool>());
        Assert.Equal(token.Id, visits[1]!["token_id"]!.GetValue<string>());
        Assert.Equal("client secret does not match", visits[3]!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(token.Secret, json.ToJsonString());
        Assert.DoesNotContain(other.Secret, json.ToJsonString());
        Assert.DoesNotContain("wrong-secret", json.ToJsonString());
        Assert.DoesNotContain(Cf.Requests, r => r.Path.Contains("__access-origin"));

        Assert.Equal(HttpStatusCode.OK, (await Admin("DELETE", "/origin-requests")).Status);
        Assert.Empty((await Admin("GET", "/origin-requests")).Json["result"]!.AsArray());
        var origin = (await Admin("GET", "/origin")).Json["result"]!["base_url"]!.GetValue<string>();
        Assert.Equal(Cf.AccessOriginUri.ToString(), origin);
    }

    [Fact]
    public async Task Injected_faults_make_the_origin_unreachable_or_fail()
    {
        var token = await NewToken();
        await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        Cf.Faults.Add(new FaultRule { PathContains = "/__access-origin/api.example.com", Kind = FaultKind.Reset, Times = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => Call("api.example.com/", token));
        Cf.Faults.Add(new FaultRule { PathContains = "/__access-origin/", Kind = FaultKind.Status, StatusCode = 502, Times = 1 });
        Assert.Equal(HttpStatusCode.BadGateway, (await Call("api.example.com/", token)).Status);
        AssertAllowed(await Call("api.example.com/", token), token);
    }

    [Fact]
    public async Task Admin_api_refuses_bad_applications_and_unknown_ids()
    {
        var token = await NewToken();
        foreach (var body in new JsonObject[]
                 {
                     new(),
                     new() { ["domain"] = "https://api.example.com" },
                     new() { ["domain"] = "api.example.com:8443" },
                     new() { ["domain"] = "api.example.com", ["type"] = "castle" },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonObject() },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonArray(new JsonObject { ["include"] = new JsonArray() }) },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonArray(new JsonObject { ["decision"] = "maybe", ["include"] = new JsonArray(AnyToken()) }) },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonArray(ServiceAuth(new JsonObject { ["email"] = new JsonObject { ["email"] = "a@b.c" } })) },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonArray(ServiceAuth(new JsonObject { ["service_token"] = new JsonObject() })) },
                     new() { ["domain"] = "api.example.com", ["policies"] = new JsonArray(ServiceAuth(new JsonObject { ["service_token"] = new JsonObject { ["token_id"] = token.ClientId } })) },
                 })
        {
            var (status, json) = await Admin("POST", "/apps", body);
            Assert.True(status == HttpStatusCode.BadRequest, body.ToJsonString());
            Assert.Equal(ErrorCodes.InvalidBody, json["errors"]![0]!["code"]!.GetValue<int>());
        }
        Assert.Empty((await Admin("GET", "/apps")).Json["result"]!.AsArray());

        var missing = Guid.NewGuid().ToString();
        Assert.Equal(ErrorCodes.AccessApplicationNotFound, (await Admin("DELETE", "/apps/" + missing)).Json["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin("PUT", $"/apps/{missing}/policies", new JsonObject { ["policies"] = new JsonArray() })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin("GET", "/nothing")).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Admin("PATCH", "/apps")).Status);

        using var malformed = new StringContent("{", Encoding.UTF8, "application/json");
        using var reply = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/access/apps"), malformed);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains(ErrorCodes.MalformedJson.ToString(), await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deleting_an_application_unprotects_its_url_and_reset_drops_everything()
    {
        var token = await NewToken();
        var app = await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        AssertUnauthenticated(await Call("api.example.com/"), app);
        Assert.Equal(HttpStatusCode.OK, (await Admin("DELETE", $"/apps/{app["id"]}")).Status);
        Assert.False((await Call("api.example.com/")).Json["protected"]!.GetValue<bool>());

        await NewApp("api.example.com", ServiceAuth(TokenRule(token)));
        using var reset = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/reset"), null);
        Assert.Empty(State.AccessServiceTokenIds);
        Assert.Empty((await Admin("GET", "/apps")).Json["result"]!.AsArray());
    }

    [Fact]
    public async Task The_apps_api_lists_the_minimal_shape_with_filters_and_needs_apps_read()
    {
        await NewApp("api.example.com");
        await NewApp("app.example.com/admin");
        var (_, adminView) = await Admin("GET", "/apps");
        var aud = adminView["result"]![1]!["aud"]!.GetValue<string>();
        var apps = $"accounts/{AccountId}/access/apps";

        var all = await Send("GET", apps, State.AdminTokenValue);
        AssertOk(all);
        var first = all.Result![0]!.AsObject();
        Assert.Equal(["id", "aud", "name", "domain", "type", "session_duration", "created_at", "updated_at"], first.Select(p => p.Key));
        Assert.Equal("self_hosted", first["type"]!.GetValue<string>());
        Assert.Equal("24h", first["session_duration"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", first["aud"]!.GetValue<string>());
        Assert.Equal(2, all.Json["result_info"]!["total_count"]!.GetValue<int>());

        string Domains(Reply r) => string.Join(",", r.Result!.AsArray().Select(a => a!["domain"]!.GetValue<string>()));
        Assert.Equal("api.example.com,app.example.com/admin", Domains(await Send("GET", apps + "?domain=example.com", State.AdminTokenValue)));
        Assert.Equal("", Domains(await Send("GET", apps + "?domain=example.com&exact=true", State.AdminTokenValue)));
        Assert.Equal("api.example.com", Domains(await Send("GET", apps + "?domain=API.example.com&exact=true", State.AdminTokenValue)));
        Assert.Equal("app.example.com/admin", Domains(await Send("GET", apps + "?aud=" + aud, State.AdminTokenValue)));
        Assert.Equal("app.example.com/admin", Domains(await Send("GET", apps + "?search=admin", State.AdminTokenValue)));
        Assert.Equal("app.example.com/admin", Domains(await Send("GET", apps + "?page=2&per_page=1", State.AdminTokenValue)));

        var (_, tokensOnly) = State.AddUserToken(State.AdminUserEmail, "tokens", [Id("Access: Service Tokens Write")]);
        var (_, appsRead) = State.AddUserToken(State.AdminUserEmail, "apps", [Id("Access: Apps and Policies Read")]);
        AssertError(await Send("GET", apps, tokensOnly), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        AssertOk(await Send("GET", apps, appsRead));
    }

    [Fact]
    public async Task The_in_process_helpers_make_an_application_and_tell_which_secrets_are_live()
    {
        var token = await NewToken("helper");
        var other = await NewToken("other");
        var (appId, aud) = State.AddAccessApplication("svc.example.com/api", token.Id);
        Assert.Throws<ArgumentException>(() => State.AddAccessApplication("x.example.com", Guid.NewGuid().ToString()));
        AssertAllowed(await Call("svc.example.com/api/v1", token), token);
        var refused = await Call("svc.example.com/api", other);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(aud, refused.Header("Cf-Access-Aud"));
        Assert.Equal(appId, (await Call("svc.example.com/api", token)).Json["app_id"]!.GetValue<string>());
        State.AddAccessApplication("any.example.com");
        AssertAllowed(await Call("any.example.com/", other), other);

        Assert.Equal(["helper", "other"], State.AccessServiceTokenNames);
        Assert.True(State.IsAccessServiceTokenSecretLive(token.ClientId, token.Secret));
        var rotated = await Send("POST", $"{Tokens}/{token.Id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-01T12:10:00Z" });
        var fresh = rotated.Result!["client_secret"]!.GetValue<string>();
        Assert.True(State.IsAccessServiceTokenSecretLive(token.ClientId, token.Secret));
        Assert.True(State.IsAccessServiceTokenSecretLive(token.ClientId, fresh));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(State.IsAccessServiceTokenSecretLive(token.ClientId, token.Secret));
        Assert.True(State.IsAccessServiceTokenSecretLive(token.ClientId, fresh));
        Assert.False(State.IsAccessServiceTokenSecretLive(other.ClientId, fresh));
    }

    [Fact]
    public async Task Without_strict_mode_an_unauthenticated_token_is_sent_to_login_or_refused_with_403()
    {
        var token = await NewToken();
        var (status, created) = await Admin("POST", "/apps", new JsonObject
        {
            ["domain"] = "login.example.com",
            ["service_auth_401_redirect"] = false,
            ["policies"] = new JsonArray(
                new JsonObject { ["decision"] = "allow", ["include"] = new JsonArray(new JsonObject { ["everyone"] = new JsonObject() }) },
                ServiceAuth(TokenRule(token))),
        });
        Assert.Equal(HttpStatusCode.Created, status);
        var loginApp = created["result"]!.AsObject();
        Assert.False(loginApp["service_auth_401_redirect"]!.GetValue<bool>());
        var serviceOnly = await NewApp("svc.example.com", ServiceAuth(TokenRule(token)));
        (_, created) = await Admin("POST", "/apps", new JsonObject
        {
            ["domain"] = "svc.example.com/lax", ["service_auth_401_redirect"] = false, ["policies"] = new JsonArray(ServiceAuth(TokenRule(token))),
        });
        var laxApp = created["result"]!.AsObject();
        Assert.True(serviceOnly["service_auth_401_redirect"]!.GetValue<bool>());

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var toLogin = await noRedirects.GetAsync(new Uri(Cf.AccessOriginUri, "login.example.com/app?x=1"));
        Assert.Equal(HttpStatusCode.Found, toLogin.StatusCode);
        Assert.Equal($"https://emulator.cloudflareaccess.com/cdn-cgi/access/login/login.example.com?kid={loginApp["aud"]}&redirect_url=%2Fapp",
            toLogin.Headers.Location!.ToString());
        Assert.StartsWith("Cloudflare-Access", toLogin.Headers.WwwAuthenticate.ToString());
        Assert.Equal(loginApp["aud"]!.GetValue<string>(), toLogin.Headers.GetValues("Cf-Access-Aud").Single());

        AssertForbidden(await Call("svc.example.com/lax/x", token, secret: "wrong"), laxApp);
        AssertUnauthenticated(await Call("svc.example.com/other", token, secret: "wrong"), serviceOnly);
        AssertAllowed(await Call("svc.example.com/lax/x", token), token);
        AssertAllowed(await Call("login.example.com/app", token), token);

        var (bad, _) = await Admin("POST", "/apps", new JsonObject { ["domain"] = "x.example.com", ["service_auth_401_redirect"] = "no" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        var visits = (await Admin("GET", "/origin-requests")).Json["result"]!.AsArray();
        Assert.Equal([302, 403, 401, 200, 200], visits.Select(v => v!["status"]!.GetValue<int>()));
        Assert.Equal("Unauthenticated", visits[1]!["outcome"]!.GetValue<string>());
    }
}
