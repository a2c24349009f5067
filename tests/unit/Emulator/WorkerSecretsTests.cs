using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class WorkerSecretsTests : EmulatorTestBase
{
    private const string SecretValue = "s3cr3t-VALUE-never-echoed";

    private string Scripts => $"accounts/{AccountId}/workers/scripts";
    private string Secrets(string script = "api-worker") => $"{Scripts}/{script}/secrets";
    private string Bulk(string script = "api-worker") => $"{Scripts}/{script}/secrets-bulk";

    private static JsonObject Secret(string name, string text) =>
        new() { ["name"] = name, ["text"] = text, ["type"] = "secret_text" };

    private Task<Reply> Patch(string path, string token, JsonNode body, string contentType = "application/merge-patch+json") =>
        SendRaw("PATCH", path, null, request =>
        {
            request.Headers.Authorization = new("Bearer", token);
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType);
        });

    [Fact]
    public async Task Lists_the_seeded_scripts()
    {
        Assert.Equal(["api-worker", "cron-worker"], State.WorkerScripts);
        var reply = await Send("GET", Scripts, State.AdminTokenValue);
        AssertOk(reply);
        var scripts = reply.Result!.AsArray();
        Assert.Equal(["api-worker", "cron-worker"], scripts.Select(s => s!["id"]!.GetValue<string>()));
        foreach (var property in new[] { "created_on", "modified_on", "etag" })
            Assert.False(string.IsNullOrEmpty(scripts[0]![property]!.GetValue<string>()), property);
    }

    [Fact]
    public async Task Put_get_list_delete_round_trip_never_returns_the_text()
    {
        var put = await Send("PUT", Secrets(), State.AdminTokenValue, Secret("API_TOKEN", SecretValue));
        AssertOk(put);
        Assert.Equal("API_TOKEN", put.Result!["name"]!.GetValue<string>());
        Assert.Equal("secret_text", put.Result!["type"]!.GetValue<string>());
        Assert.Null(put.Result!["text"]);
        Assert.DoesNotContain(SecretValue, put.Json.ToJsonString());
        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "API_TOKEN"));
        Assert.Equal(["API_TOKEN"], State.WorkerSecretNames("api-worker"));
        Assert.Empty(State.WorkerSecretNames("cron-worker"));

        var list = await Send("GET", Secrets(), State.AdminTokenValue);
        AssertOk(list);
        var entry = Assert.Single(list.Result!.AsArray())!;
        Assert.Equal("API_TOKEN", entry["name"]!.GetValue<string>());
        Assert.Equal("secret_text", entry["type"]!.GetValue<string>());
        Assert.DoesNotContain(SecretValue, list.Json.ToJsonString());

        var get = await Send("GET", $"{Secrets()}/API_TOKEN", State.AdminTokenValue);
        AssertOk(get);
        Assert.Equal("API_TOKEN", get.Result!["name"]!.GetValue<string>());
        Assert.DoesNotContain(SecretValue, get.Json.ToJsonString());

        AssertOk(await Send("DELETE", $"{Secrets()}/API_TOKEN?url_encoded=true", State.AdminTokenValue));
        Assert.Null(State.WorkerSecretText("api-worker", "API_TOKEN"));
        AssertError(await Send("GET", $"{Secrets()}/API_TOKEN", State.AdminTokenValue), HttpStatusCode.NotFound, 10056);
        AssertError(await Send("DELETE", $"{Secrets()}/API_TOKEN?url_encoded=true", State.AdminTokenValue), HttpStatusCode.NotFound, 10056);
        Assert.Empty((await Send("GET", Secrets(), State.AdminTokenValue)).Result!.AsArray());

        // A url-encoded name in the path is decoded.
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("A_B", "v")));
        AssertOk(await Send("DELETE", $"{Secrets()}/A%5FB?url_encoded=true", State.AdminTokenValue));
        Assert.Empty(State.WorkerSecretNames("api-worker"));
    }

    [Fact]
    public async Task Put_replaces_the_value_and_changes_the_etag()
    {
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("KEY", "old")));
        var before = (await Send("GET", Scripts, State.AdminTokenValue)).Result![0]!["etag"]!.GetValue<string>();
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("KEY", "new")));
        var after = (await Send("GET", Scripts, State.AdminTokenValue)).Result![0]!["etag"]!.GetValue<string>();
        Assert.Equal("new", State.WorkerSecretText("api-worker", "KEY"));
        Assert.Equal(["KEY"], State.WorkerSecretNames("api-worker"));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Bulk_patch_adds_replaces_and_deletes()
    {
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("OLD", "old-value")));
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("KEEP", "keep-value")));
        var body = new JsonObject
        {
            ["secrets"] = new JsonObject
            {
                ["NEW_ONE"] = Secret("NEW_ONE", SecretValue),
                ["KEEP"] = new JsonObject { ["text"] = "replaced", ["type"] = "secret_text" },
                ["OLD"] = null,
                ["NEVER_EXISTED"] = null,
            },
        };
        var reply = await Patch(Bulk(), State.AdminTokenValue, body);
        AssertOk(reply);
        Assert.Equal(["KEEP", "NEW_ONE"], reply.Result!.AsObject().Select(p => p.Key));
        Assert.Equal("secret_text", reply.Result!["NEW_ONE"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(SecretValue, reply.Json.ToJsonString());
        Assert.Equal(["KEEP", "NEW_ONE"], State.WorkerSecretNames("api-worker"));
        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "NEW_ONE"));
        Assert.Equal("replaced", State.WorkerSecretText("api-worker", "KEEP"));

        // application/json is accepted too (the spec lists both).
        AssertOk(await Patch(Bulk(), State.AdminTokenValue, new JsonObject { ["secrets"] = new JsonObject { ["KEEP"] = null } }, "application/json"));
        Assert.Equal(["NEW_ONE"], State.WorkerSecretNames("api-worker"));
    }

    [Fact]
    public async Task Bulk_patch_is_all_or_nothing()
    {
        var body = new JsonObject
        {
            ["secrets"] = new JsonObject
            {
                ["GOOD"] = Secret("GOOD", "v"),
                ["1BAD"] = Secret("1BAD", "v"),
            },
        };
        AssertError(await Patch(Bulk(), State.AdminTokenValue, body), HttpStatusCode.BadRequest, 10021);
        var mismatch = new JsonObject { ["secrets"] = new JsonObject { ["GOOD"] = Secret("OTHER", "v") } };
        AssertError(await Patch(Bulk(), State.AdminTokenValue, mismatch), HttpStatusCode.BadRequest, 10021);
        var notObject = new JsonObject { ["secrets"] = new JsonObject { ["GOOD"] = "v" } };
        AssertError(await Patch(Bulk(), State.AdminTokenValue, notObject), HttpStatusCode.BadRequest, 10021);
        AssertError(await Patch(Bulk(), State.AdminTokenValue, new JsonObject()), HttpStatusCode.BadRequest, 10021);
        Assert.Empty(State.WorkerSecretNames("api-worker"));
    }

    [Fact]
    public async Task Bulk_patch_refuses_more_than_100_secrets_and_other_content_types()
    {
        var secrets = new JsonObject();
        for (var i = 0; i < 101; i++)
            secrets[$"S{i}"] = Secret($"S{i}", "v");
        AssertError(await Patch(Bulk(), State.AdminTokenValue, new JsonObject { ["secrets"] = secrets }), HttpStatusCode.BadRequest, 100160);
        Assert.Empty(State.WorkerSecretNames("api-worker"));

        secrets.Remove("S100");
        AssertOk(await Patch(Bulk(), State.AdminTokenValue, new JsonObject { ["secrets"] = secrets.DeepClone() }));
        Assert.Equal(100, State.WorkerSecretNames("api-worker").Count);

        var wrongType = await Patch(Bulk("cron-worker"), State.AdminTokenValue,
            new JsonObject { ["secrets"] = new JsonObject { ["A"] = Secret("A", "v") } }, "text/plain");
        AssertError(wrongType, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedContentType);
        Assert.Empty(State.WorkerSecretNames("cron-worker"));
    }

    [Fact]
    public async Task Unknown_script_is_404_10007()
    {
        var replies = new[]
        {
            await Send("GET", Secrets("nope"), State.AdminTokenValue),
            await Send("GET", $"{Secrets("nope")}/A", State.AdminTokenValue),
            await Send("PUT", Secrets("nope"), State.AdminTokenValue, Secret("A", "v")),
            await Send("DELETE", $"{Secrets("nope")}/A", State.AdminTokenValue),
            await Patch(Bulk("nope"), State.AdminTokenValue, new JsonObject { ["secrets"] = new JsonObject() }),
        };
        foreach (var reply in replies)
        {
            AssertError(reply, HttpStatusCode.NotFound, 10007);
            Assert.Equal("workers.api.error.script_not_found", reply.ErrorMessage);
        }
    }

    [Fact]
    public async Task Reads_need_Workers_Scripts_Read_and_changes_Write()
    {
        // ops-dns: DNS Write on one zone, nothing for Workers.
        AssertError(await Send("GET", Scripts, State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("GET", Secrets(), State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("PUT", Secrets(), State.OpsTokenValue, Secret("A", SecretValue)), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("DELETE", $"{Secrets()}/A", State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Patch(Bulk(), State.OpsTokenValue, new JsonObject { ["secrets"] = new JsonObject() }), HttpStatusCode.Forbidden, 10000);
        // Permission comes before the script lookup.
        AssertError(await Send("GET", Secrets("nope"), State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);

        // ops-workers (account token): Workers Scripts Read only.
        var reader = State.Seed.OpsAccountTokenValue;
        AssertOk(await Send("GET", Secrets(), reader));
        AssertError(await Send("PUT", Secrets(), reader, Secret("A", SecretValue)), HttpStatusCode.Forbidden, 10000);

        // workers-deploy: Workers Scripts Write, which satisfies Read.
        var writer = State.Seed.WorkersTokenValue;
        AssertOk(await Send("PUT", Secrets(), writer, Secret("A", SecretValue)));
        AssertOk(await Send("GET", Secrets(), writer));
        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "A"));

        // Another account's path: 403 10000 even with permission here.
        var other = $"accounts/{new string('b', 32)}/workers/scripts";
        AssertError(await Send("GET", other, State.AdminTokenValue), HttpStatusCode.Forbidden, 10000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1STARTS_WITH_DIGIT")]
    [InlineData("HAS-DASH")]
    [InlineData("HAS SPACE")]
    [InlineData("ÜMLAUT")]
    public async Task Bad_names_are_400_10021(string name)
    {
        AssertError(await Send("PUT", Secrets(), State.AdminTokenValue, Secret(name, "v")), HttpStatusCode.BadRequest, 10021);
        Assert.Empty(State.WorkerSecretNames("api-worker"));
    }

    [Fact]
    public async Task Name_length_missing_text_and_wrong_type_are_400()
    {
        AssertError(await Send("PUT", Secrets(), State.AdminTokenValue, Secret(new string('A', 256), "v")), HttpStatusCode.BadRequest, 10021);
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret(new string('A', 255), "v")));

        var bodies = new[]
        {
            new JsonObject { ["text"] = "v", ["type"] = "secret_text" },
            new JsonObject { ["name"] = "X", ["type"] = "secret_text" },
            new JsonObject { ["name"] = "X", ["text"] = 42, ["type"] = "secret_text" },
            new JsonObject { ["name"] = "X", ["text"] = "v" },
            new JsonObject { ["name"] = "X", ["text"] = "v", ["type"] = "plain_text" },
        };
        foreach (var body in bodies)
            AssertError(await Send("PUT", Secrets(), State.AdminTokenValue, body), HttpStatusCode.BadRequest, 10021);
        AssertError(await Send("PUT", Secrets(), State.AdminTokenValue, "{not json"), HttpStatusCode.BadRequest, 6007);
        Assert.Null(State.WorkerSecretText("api-worker", "X"));
    }

    [Fact]
    public async Task Recorded_requests_never_hold_the_secret_text()
    {
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("API_TOKEN", SecretValue)));
        AssertOk(await Patch(Bulk(), State.AdminTokenValue,
            new JsonObject { ["secrets"] = new JsonObject { ["BULK"] = Secret("BULK", SecretValue + "-bulk") } }));
        // Malformed or unroutable bodies on secret paths are redacted too.
        await Send("PUT", Secrets(), State.AdminTokenValue, "{\"name\":\"X\",\"text\":\"" + SecretValue + "\"");
        await Send("PUT", Secrets("nope"), State.AdminTokenValue, Secret("A", SecretValue));

        var secretRequests = Cf.Requests.Where(r => r.Path.Contains("/secrets")).ToList();
        Assert.Equal(4, secretRequests.Count);
        foreach (var request in Cf.Requests)
            Assert.DoesNotContain(SecretValue, request.Body);
        Assert.Contains("API_TOKEN", secretRequests[0].Body);
        Assert.Contains("[redacted]", secretRequests[0].Body);
        Assert.Contains("BULK", secretRequests[1].Body);

        var adminLog = await Http.GetStringAsync(new Uri(Cf.BaseUri, "/__emulator/requests"));
        Assert.DoesNotContain(SecretValue, adminLog);

        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "API_TOKEN"));
        Assert.Equal(SecretValue + "-bulk", State.WorkerSecretText("api-worker", "BULK"));
    }

    [Fact]
    public async Task Reset_drops_secrets_and_reseeds_scripts()
    {
        AssertOk(await Send("PUT", Secrets(), State.AdminTokenValue, Secret("A", "v")));
        State.AddWorkerScript("extra-worker");
        Assert.Throws<InvalidOperationException>(() => State.AddWorkerScript("extra-worker"));
        State.Reset();
        Assert.Equal(["api-worker", "cron-worker"], State.WorkerScripts);
        Assert.Empty(State.WorkerSecretNames("api-worker"));
        Assert.Throws<ArgumentException>(() => State.WorkerSecretNames("extra-worker"));
    }
}
