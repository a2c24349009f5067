using System.Net;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>
/// Contract of Access/AccessServiceTokenRoutes (service tokens): shapes, durations, refresh, rotate, every error code,
/// permissions, faults and secret redaction in the request log. The protected origin: AccessOriginTests.
/// </summary>
public sealed class AccessTests : EmulatorTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);

    protected override EmulatorOptions Options => new() { Clock = _clock };

    private string Tokens => $"accounts/{AccountId}/access/service_tokens";

    private async Task<JsonObject> Create(string name, string? duration = null, JsonObject? extra = null)
    {
        var body = new JsonObject { ["name"] = name };
        if (duration is not null)
            body["duration"] = duration;
        foreach (var (key, value) in extra ?? [])
            body[key] = value?.DeepClone();
        var reply = await Send("POST", Tokens, State.AdminTokenValue, body);
        Assert.True(reply.Status == HttpStatusCode.Created, reply.Json.ToJsonString());
        return reply.Result!.AsObject();
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>());

    [Fact]
    public async Task Create_answers_201_with_the_secret_once_and_the_api_shapes()
    {
        var created = await Create("CI/CD token");
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", created["id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}\\.access$", created["client_id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", created["client_secret"]!.GetValue<string>());
        Assert.Equal("CI/CD token", created["name"]!.GetValue<string>());
        Assert.Equal("8760h", created["duration"]!.GetValue<string>());
        Assert.Equal(Start, Time(created["created_at"]));
        Assert.Equal(Start, Time(created["updated_at"]));
        Assert.Equal(Start.AddHours(8760), Time(created["expires_at"]));
        Assert.True(created["enabled"]!.GetValue<bool>());
        Assert.Equal(1, created["client_secret_version"]!.GetValue<int>());
        Assert.Null(created["last_seen_at"]);

        var id = created["id"]!.GetValue<string>();
        var get = await Send("GET", $"{Tokens}/{id}", State.AdminTokenValue);
        AssertOk(get);
        Assert.Null(get.Result!["client_secret"]);
        Assert.DoesNotContain(created["client_secret"]!.GetValue<string>(), get.Json.ToJsonString());
        Assert.Equal(created["client_id"]!.GetValue<string>(), get.Result!["client_id"]!.GetValue<string>());

        var list = await Send("GET", Tokens, State.AdminTokenValue);
        AssertOk(list);
        Assert.DoesNotContain(created["client_secret"]!.GetValue<string>(), list.Json.ToJsonString());
    }

    [Theory]
    [InlineData("60m", 1.0)]
    [InlineData("2h45m", 2.75)]
    [InlineData("1.5h", 1.5)]
    [InlineData("5400s", 1.5)]
    [InlineData("17520h", 17520.0)]
    [InlineData("+30m", 0.5)]
    [InlineData("1h30m3600s", 2.5)]
    public async Task Go_durations_set_expires_at_and_are_echoed_as_sent(string duration, double hours)
    {
        var created = await Create("d", duration);
        Assert.Equal(duration, created["duration"]!.GetValue<string>());
        Assert.Equal(Start.AddHours(hours), Time(created["expires_at"]));
    }

    [Fact]
    public async Task A_forever_token_has_no_expiry_and_refresh_leaves_it_so()
    {
        var created = await Create("f", "forever");
        Assert.Equal("forever", created["duration"]!.GetValue<string>());
        Assert.Null(created["expires_at"]);
        var refreshed = await Send("POST", $"{Tokens}/{created["id"]}/refresh", State.AdminTokenValue);
        AssertOk(refreshed);
        Assert.Null(refreshed.Result!["expires_at"]);
    }

    [Theory]
    [InlineData("\"8760\"")]
    [InlineData("\"1y\"")]
    [InlineData("\"-1h\"")]
    [InlineData("\"0s\"")]
    [InlineData("\"\"")]
    [InlineData("\"h\"")]
    [InlineData("\"Forever\"")]
    [InlineData("\"1.5.5h\"")]
    [InlineData("\"5 m\"")]
    [InlineData("\"1hm\"")]
    [InlineData("\"10d\"")]
    [InlineData("\"99999999999999999h\"")]
    [InlineData("8760")]
    public async Task Invalid_durations_are_400_12131_on_create_and_update(string duration)
    {
        var create = await Send("POST", Tokens, State.AdminTokenValue, "{\"name\":\"x\",\"duration\":" + duration + "}");
        AssertError(create, HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidDuration);
        var id = (await Create("ok"))["id"]!.GetValue<string>();
        var update = await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"duration\":" + duration + "}");
        AssertError(update, HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidDuration);
        Assert.Single(State.AccessServiceTokenIds);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"   \"}")]
    [InlineData("{\"name\":5}")]
    [InlineData("{\"name\":\"x\",\"enabled\":\"yes\"}")]
    [InlineData("{\"name\":\"x\",\"client_secret_version\":0}")]
    [InlineData("{\"name\":\"x\",\"client_secret_version\":1.5}")]
    [InlineData("{\"name\":\"x\",\"previous_client_secret_expires_at\":\"tomorrow\"}")]
    public async Task Invalid_create_bodies_are_400_12130_and_create_nothing(string body)
    {
        AssertError(await Send("POST", Tokens, State.AdminTokenValue, body), HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
        Assert.Empty(State.AccessServiceTokenIds);
    }

    [Fact]
    public async Task A_name_over_350_characters_is_400_12130()
    {
        AssertError(await Send("POST", Tokens, State.AdminTokenValue, new JsonObject { ["name"] = new string('n', 351) }),
            HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
        await Create(new string('n', 350));
    }

    [Fact]
    public async Task Malformed_json_is_6007_and_a_non_object_1100()
    {
        AssertError(await Send("POST", Tokens, State.AdminTokenValue, "{\"name\":"), HttpStatusCode.BadRequest, ErrorCodes.MalformedJson);
        AssertError(await Send("POST", Tokens, State.AdminTokenValue, "[]"), HttpStatusCode.BadRequest, ErrorCodes.InvalidBody);
    }

    [Fact]
    public async Task Unknown_ids_are_404_12002_on_every_route()
    {
        var created = await Create("known");
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-uuid", created["client_id"]!.GetValue<string>() })
        {
            foreach (var (method, suffix, body) in new[]
                     { ("GET", "", null), ("PUT", "", "{\"name\":\"n\"}"), ("DELETE", "", null), ("POST", "/refresh", null), ("POST", "/rotate", null) })
            {
                var reply = await Send(method, $"{Tokens}/{id}{suffix}", State.AdminTokenValue, body);
                AssertError(reply, HttpStatusCode.NotFound, ErrorCodes.AccessServiceTokenNotFound);
                Assert.Equal("access.api.error.service_token_not_found", reply.ErrorMessage);
            }
        }
    }

    [Fact]
    public async Task List_filters_by_exact_name_and_search_and_pages()
    {
        foreach (var name in new[] { "ci-build", "ci-deploy", "registry", "monitoring" })
            await Create(name);

        var all = await Send("GET", Tokens, State.AdminTokenValue);
        AssertOk(all);
        Assert.Equal(["ci-build", "ci-deploy", "registry", "monitoring"], all.Result!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(4, all.Json["result_info"]!["total_count"]!.GetValue<int>());

        var byName = await Send("GET", Tokens + "?name=registry", State.AdminTokenValue);
        Assert.Equal("registry", Assert.Single(byName.Result!.AsArray())!["name"]!.GetValue<string>());
        Assert.Empty((await Send("GET", Tokens + "?name=ci", State.AdminTokenValue)).Result!.AsArray());

        var search = await Send("GET", Tokens + "?search=CI-", State.AdminTokenValue);
        Assert.Equal(["ci-build", "ci-deploy"], search.Result!.AsArray().Select(t => t!["name"]!.GetValue<string>()));

        var page2 = await Send("GET", Tokens + "?page=2&per_page=3", State.AdminTokenValue);
        Assert.Equal("monitoring", Assert.Single(page2.Result!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(2, page2.Json["result_info"]!["page"]!.GetValue<int>());
        Assert.Equal(3, page2.Json["result_info"]!["per_page"]!.GetValue<int>());
        Assert.Equal(2, page2.Json["result_info"]!["total_pages"]!.GetValue<int>());

        AssertError(await Send("GET", Tokens + "?per_page=0", State.AdminTokenValue), HttpStatusCode.BadRequest, ErrorCodes.InvalidPaging);
    }

    [Fact]
    public async Task Update_changes_name_duration_and_enabled_but_not_the_expiry()
    {
        var created = await Create("old", "24h");
        var id = created["id"]!.GetValue<string>();
        _clock.Advance(TimeSpan.FromHours(1));

        var updated = await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue,
            new JsonObject { ["name"] = "new", ["duration"] = "48h", ["enabled"] = false });
        AssertOk(updated);
        Assert.Equal("new", updated.Result!["name"]!.GetValue<string>());
        Assert.Equal("48h", updated.Result!["duration"]!.GetValue<string>());
        Assert.False(updated.Result!["enabled"]!.GetValue<bool>());
        Assert.Equal(Start.AddHours(24), Time(updated.Result!["expires_at"]));
        Assert.Equal(Start.AddHours(1), Time(updated.Result!["updated_at"]));
        Assert.Equal(Start, Time(updated.Result!["created_at"]));
        Assert.Null(updated.Result!["client_secret"]);

        // The new duration applies from the next refresh.
        var refreshed = await Send("POST", $"{Tokens}/{id}/refresh", State.AdminTokenValue);
        Assert.Equal(Start.AddHours(49), Time(refreshed.Result!["expires_at"]));

        AssertError(await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"name\":\"\"}"), HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
        AssertError(await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"enabled\":1}"), HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
    }

    [Fact]
    public async Task Refresh_renews_from_now_by_the_duration_and_keeps_the_credentials()
    {
        var created = await Create("r", "60m");
        var id = created["id"]!.GetValue<string>();
        _clock.Advance(TimeSpan.FromMinutes(90)); // already expired

        var refreshed = await Send("POST", $"{Tokens}/{id}/refresh", State.AdminTokenValue);
        AssertOk(refreshed);
        Assert.Equal(Start.AddMinutes(150), Time(refreshed.Result!["expires_at"]));
        Assert.Equal(created["client_id"]!.GetValue<string>(), refreshed.Result!["client_id"]!.GetValue<string>());
        Assert.Null(refreshed.Result!["client_secret"]);
        Assert.Equal(1, refreshed.Result!["client_secret_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rotate_returns_a_new_secret_and_counts_the_version()
    {
        var created = await Create("rot");
        var id = created["id"]!.GetValue<string>();
        var rotated = await Send("POST", $"{Tokens}/{id}/rotate", State.AdminTokenValue);
        AssertOk(rotated);
        var secret = rotated.Result!["client_secret"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", secret);
        Assert.NotEqual(created["client_secret"]!.GetValue<string>(), secret);
        Assert.Equal(created["client_id"]!.GetValue<string>(), rotated.Result!["client_id"]!.GetValue<string>());
        Assert.Equal(2, rotated.Result!["client_secret_version"]!.GetValue<int>());

        var withGrace = await Send("POST", $"{Tokens}/{id}/rotate", State.AdminTokenValue,
            new JsonObject { ["previous_client_secret_expires_at"] = "2026-03-02T00:00:00Z" });
        AssertOk(withGrace);
        Assert.Equal(3, withGrace.Result!["client_secret_version"]!.GetValue<int>());

        AssertError(await Send("POST", $"{Tokens}/{id}/rotate", State.AdminTokenValue, "{\"previous_client_secret_expires_at\":\"soon\"}"),
            HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
        AssertError(await Send("POST", $"{Tokens}/{id}/rotate", State.AdminTokenValue, "{"), HttpStatusCode.BadRequest, ErrorCodes.MalformedJson);
    }

    [Fact]
    public async Task An_update_raising_client_secret_version_rotates_and_shows_the_new_secret_once()
    {
        var created = await Create("v");
        var id = created["id"]!.GetValue<string>();
        var same = await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"client_secret_version\":1}");
        AssertOk(same);
        Assert.Null(same.Result!["client_secret"]);

        var bumped = await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"client_secret_version\":2}");
        AssertOk(bumped);
        Assert.Matches("^[0-9a-f]{64}$", bumped.Result!["client_secret"]!.GetValue<string>());
        Assert.NotEqual(created["client_secret"]!.GetValue<string>(), bumped.Result!["client_secret"]!.GetValue<string>());
        Assert.Equal(2, bumped.Result!["client_secret_version"]!.GetValue<int>());

        AssertError(await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, "{\"client_secret_version\":1}"),
            HttpStatusCode.BadRequest, ErrorCodes.AccessInvalidRequest);
    }

    [Fact]
    public async Task Delete_answers_the_token_and_it_is_gone()
    {
        var id = (await Create("gone"))["id"]!.GetValue<string>();
        var deleted = await Send("DELETE", $"{Tokens}/{id}", State.AdminTokenValue);
        AssertOk(deleted);
        Assert.Equal(id, deleted.Result!["id"]!.GetValue<string>());
        Assert.Null(deleted.Result!["client_secret"]);
        AssertError(await Send("GET", $"{Tokens}/{id}", State.AdminTokenValue), HttpStatusCode.NotFound, ErrorCodes.AccessServiceTokenNotFound);
        Assert.Empty(State.AccessServiceTokenIds);
    }

    [Fact]
    public async Task Read_needs_service_tokens_read_and_changes_need_write()
    {
        var id = (await Create("perm"))["id"]!.GetValue<string>();
        var (_, reader) = State.AddUserToken(State.AdminUserEmail, "reader", [Id("Access: Service Tokens Read")]);
        var (_, apps) = State.AddUserToken(State.AdminUserEmail, "apps", [Id("Access: Apps and Policies Write")]);

        AssertOk(await Send("GET", Tokens, reader));
        AssertOk(await Send("GET", $"{Tokens}/{id}", reader));
        foreach (var (method, suffix, body) in new[]
                 { ("POST", "", "{\"name\":\"n\"}"), ("PUT", "/" + id, "{\"name\":\"n\"}"), ("DELETE", "/" + id, null),
                   ("POST", "/" + id + "/refresh", null), ("POST", "/" + id + "/rotate", null) })
            AssertError(await Send(method, Tokens + suffix, reader, body), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        AssertError(await Send("GET", Tokens, apps), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        // Another account: refused before anything is looked up.
        AssertError(await Send("GET", $"accounts/{new string('a', 32)}/access/service_tokens/{id}", State.AdminTokenValue),
            HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
    }

    [Fact]
    public async Task Injected_faults_apply_to_the_service_token_routes()
    {
        Cf.Faults.Add(new FaultRule { Method = "POST", PathContains = "/access/service_tokens", Kind = FaultKind.Status, StatusCode = 503, Times = 1 });
        AssertError(await Send("POST", Tokens, State.AdminTokenValue, "{\"name\":\"x\"}"), HttpStatusCode.ServiceUnavailable, ErrorCodes.InternalError);
        Assert.Empty(State.AccessServiceTokenIds);
        await Create("x");
    }

    [Fact]
    public async Task Recorded_requests_never_keep_a_client_secret()
    {
        const string Secret = "0123456789abcdef0123456789abcdef-never-logged";
        var id = (await Create("log"))["id"]!.GetValue<string>();
        await Send("PUT", $"{Tokens}/{id}", State.AdminTokenValue, new JsonObject { ["name"] = "log", ["client_secret"] = Secret });
        await Send("POST", $"{Tokens}/{id}/rotate", State.AdminTokenValue, "\"" + Secret + "\"");

        var logged = Cf.Requests.Where(r => r.Path.Contains("/access/service_tokens")).ToList();
        Assert.Equal(3, logged.Count);
        Assert.All(logged, r => Assert.DoesNotContain(Secret, r.Body));
        Assert.Contains("[redacted]", logged[1].Body);
        Assert.Contains("\"name\":\"log\"", logged[1].Body);
    }
}
