using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Multipart;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class WorkerScriptTests : WorkerTestBase
{
    private const string SecretValue = "upload-s3cr3t-never-echoed";

    [Fact]
    public async Task An_upload_creates_the_script_a_version_and_a_deployment_serving_it()
    {
        var metadata = Metadata(Binding("GREETING", "plain_text", ("text", "hello")), SecretBinding("API_KEY", SecretValue));
        metadata["tags"] = new JsonArray("prod", "team:edge");
        metadata["logpush"] = true;
        var reply = await Upload("edge-worker", metadata);

        AssertOk(reply);
        var result = reply.Result!;
        Assert.Equal("edge-worker", Str(result["id"]));
        Assert.Equal(64, Str(result["etag"]).Length);
        Assert.Equal(["fetch"], result["handlers"]!.AsArray().Select(Str));
        Assert.True(result["has_modules"]!.GetValue<bool>());
        Assert.True(result["logpush"]!.GetValue<bool>());
        Assert.Equal("2025-01-01", Str(result["compatibility_date"]));
        Assert.Equal("standard", Str(result["usage_model"]));
        Assert.Equal(["prod", "team:edge"], result["tags"]!.AsArray().Select(Str));
        Assert.True(result["startup_time_ms"]!.GetValue<long>() >= 1);
        Assert.DoesNotContain(SecretValue, reply.Json.ToJsonString());

        var version = Assert.Single(await Versions("edge-worker"));
        Assert.Equal(1, version["number"]!.GetValue<int>());
        var deployment = Assert.Single(await Deployments("edge-worker"));
        var split = Assert.Single(deployment["versions"]!.AsArray())!;
        Assert.Equal(Str(version["id"]), Str(split["version_id"]));
        Assert.Equal(100, split["percentage"]!.GetValue<double>());
        Assert.Equal(["API_KEY"], State.WorkerSecretNames("edge-worker"));
        Assert.Equal(SecretValue, State.WorkerSecretText("edge-worker", "API_KEY"));

        var list = await Send("GET", Scripts, Token);
        var listed = list.Result!.AsArray().Single(s => Str(s!["id"]) == "edge-worker")!;
        Assert.Equal(Str(result["etag"]), Str(listed["etag"]));
        Assert.True(listed["logpush"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Content_v2_returns_the_modules_byte_for_byte_with_the_entry_point()
    {
        var wasm = new byte[] { 0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0d, 0x0a, 0xff };
        var metadata = Metadata();
        AssertOk(await SendContent("PUT", Script("wasm-worker"), Form(metadata,
            ("index.js", "application/javascript+module", Encoding.UTF8.GetBytes(ModuleSource)),
            ("add.wasm", "application/wasm", wasm))));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cf.BaseUri, Script("wasm-worker") + "/content/v2"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("index.js", response.Headers.GetValues("CF-Entrypoint").Single());
        var parts = MultipartFormData.Parse(await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType!.ToString());
        Assert.Equal(["index.js", "add.wasm"], parts.Select(p => p.Name));
        Assert.Equal(ModuleSource, Encoding.UTF8.GetString(parts[0].Content));
        Assert.Equal(wasm, parts[1].Content);
        Assert.Equal("application/wasm", parts[1].ContentType);
    }

    [Fact]
    public async Task A_service_worker_upload_is_served_back_as_javascript()
    {
        const string source = "addEventListener('fetch', e => e.respondWith(new Response('sw')));";
        var reply = await SendContent("PUT", Script("sw"), new StringContent(source, Encoding.UTF8, "application/javascript"));
        AssertOk(reply);
        Assert.False(reply.Result!["has_modules"]!.GetValue<bool>());
        Assert.Equal(["fetch"], reply.Result!["handlers"]!.AsArray().Select(Str));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cf.BaseUri, Script("sw")));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Http.SendAsync(request);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(source, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<JsonObject, string> BadBindings => new()
    {
        { Binding("KV", "kv_namespace"), "KV" },
        { Binding("DB", "d1"), "DB" },
        { Binding("BUCKET", "r2_bucket"), "BUCKET" },
        { Binding("SVC", "service"), "SVC" },
        { Binding("DO", "durable_object_namespace"), "DO" },
        { Binding("STORE", "secrets_store_secret", ("store_id", "abc")), "STORE" },
        { Binding("Q", "queue"), "Q" },
        { Binding("AE", "analytics_engine", ("dataset", 5)), "AE" },
        { Binding("TXT", "plain_text"), "TXT" },
        { Binding("J", "json"), "J" },
        { Binding("S", "secret_text"), "S" },
        { Binding("KEY", "secret_key", ("algorithm", new JsonObject { ["name"] = "HMAC" }), ("format", "raw"), ("usages", new JsonArray("sign"))), "KEY" },
        { Binding("K2", "secret_key", ("algorithm", "HMAC"), ("format", "raw"), ("usages", new JsonArray())), "K2" },
        { Binding("1BAD", "plain_text", ("text", "x")), "1BAD" },
        { new JsonObject { ["name"] = "NOTYPE" }, "NOTYPE" },
    };

    [Theory]
    [MemberData(nameof(BadBindings))]
    public async Task Every_binding_kind_is_checked_for_its_fields_and_the_message_names_it(JsonObject binding, string name)
    {
        var reply = await Upload("bad-worker", Metadata(binding));
        AssertError(reply, HttpStatusCode.BadRequest, 10021);
        Assert.Contains(name, reply.ErrorMessage);
        Assert.DoesNotContain("bad-worker", State.WorkerScripts);
    }

    [Fact]
    public async Task Well_formed_bindings_of_every_kind_are_accepted()
    {
        var reply = await Upload("bound", Metadata(
            Binding("KV", "kv_namespace", ("namespace_id", "abc")),
            Binding("DB", "d1", ("id", "0f7b8c7e-0000-4000-8000-000000000000")),
            Binding("BUCKET", "r2_bucket", ("bucket_name", "b")),
            Binding("SVC", "service", ("service", "other")),
            Binding("DO", "durable_object_namespace", ("class_name", "Room")),
            Binding("STORE", "secrets_store_secret", ("store_id", "s"), ("secret_name", "n")),
            Binding("Q", "queue", ("queue_name", "q")),
            Binding("AE", "analytics_engine", ("dataset", "d")),
            Binding("J", "json", ("json", new JsonObject { ["a"] = 1 })),
            Binding("KEY", "secret_key", ("algorithm", new JsonObject { ["name"] = "HMAC" }), ("format", "raw"), ("usages", new JsonArray("sign")), ("key_base64", "AAAA")),
            Binding("AI", "ai"),
            Binding("AE_DEFAULT", "analytics_engine")));
        AssertOk(reply);
        var detail = await Send("GET", Script("bound") + "/versions/" + Str((await Versions("bound"))[0]["id"]), Token);
        var key = detail.Result!["resources"]!["bindings"]!.AsArray().Single(b => Str(b!["name"]) == "KEY")!;
        Assert.Null(key["key_base64"]);
    }

    [Fact]
    public async Task Malformed_or_incomplete_uploads_are_refused()
    {
        AssertError(await SendContent("PUT", Script("x"), new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, 10006);
        var broken = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=metadata\r\n\r\n{}"));
        broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        AssertError(await SendContent("PUT", Script("x"), broken), HttpStatusCode.BadRequest, 10006);

        var noEntry = Metadata();
        noEntry.Remove("main_module");
        AssertError(await Upload("x", noEntry), HttpStatusCode.BadRequest, 10021);
        var wrongEntry = Metadata();
        wrongEntry["main_module"] = "worker.mjs";
        var reply = await Upload("x", wrongEntry);
        AssertError(reply, HttpStatusCode.BadRequest, 10021);
        Assert.Contains("worker.mjs", reply.ErrorMessage);
        var badDate = Metadata();
        badDate["compatibility_date"] = "2025-13-45";
        AssertError(await Upload("x", badDate), HttpStatusCode.BadRequest, 10021);
        Assert.DoesNotContain("x", State.WorkerScripts);
    }

    [Fact]
    public async Task Observability_as_wrangler_sends_it_is_kept_on_the_script()
    {
        var logsOnly = Metadata();
        logsOnly["observability"] = new JsonObject { ["logs"] = new JsonObject { ["enabled"] = true, ["invocation_logs"] = true } };
        AssertOk(await Upload("observed", logsOnly));
        var settings = await Send("GET", Script("observed") + "/script-settings", Token);
        Assert.True(settings.Result!["observability"]!["logs"]!["enabled"]!.GetValue<bool>());

        var wrong = Metadata();
        wrong["observability"] = new JsonObject { ["enabled"] = "yes" };
        AssertError(await Upload("observed", wrong), HttpStatusCode.BadRequest, 10021);
    }

    [Fact]
    public async Task An_upload_without_keep_bindings_wipes_secrets_and_vars()
    {
        AssertOk(await Upload("keeper", Metadata(SecretBinding("S", SecretValue), Binding("V", "plain_text", ("text", "v")),
            Binding("KV", "kv_namespace", ("namespace_id", "n")))));

        var keep = Metadata();
        keep["keep_bindings"] = new JsonArray("secret_text");
        AssertOk(await Upload("keeper", keep));
        Assert.Equal(SecretValue, State.WorkerSecretText("keeper", "S"));
        var detail = await Send("GET", Script("keeper") + "/settings", Token);
        Assert.Equal(["S"], detail.Result!["bindings"]!.AsArray().Select(b => Str(b!["name"])));

        AssertOk(await Upload("keeper", Metadata(Binding("V", "plain_text", ("text", "v2")))));
        Assert.Empty(State.WorkerSecretNames("keeper"));
        Assert.Equal(3, (await Versions("keeper")).Count);
    }

    [Fact]
    public async Task The_list_filters_by_tags()
    {
        var prod = Metadata();
        prod["tags"] = new JsonArray("prod");
        AssertOk(await Upload("tagged", prod));

        async Task<List<string>> Ids(string filter) =>
            (await Send("GET", Scripts + "?tags=" + filter, Token)).Result!.AsArray().Select(s => Str(s!["id"])).ToList();
        Assert.Equal(["tagged"], await Ids("prod:yes"));
        Assert.Equal(["api-worker", "cron-worker"], await Ids("prod:no"));
        Assert.Equal(["tagged"], await Ids("prod"));
        AssertError(await Send("GET", Scripts + "?tags=prod:maybe", Token), HttpStatusCode.BadRequest, 10021);
    }

    [Fact]
    public async Task Services_and_delete_follow_what_wrangler_expects()
    {
        AssertError(await Send("GET", $"accounts/{AccountId}/workers/services/missing", Token), HttpStatusCode.NotFound, 10090);
        var service = await Send("GET", $"accounts/{AccountId}/workers/services/api-worker", Token);
        AssertOk(service);
        Assert.Equal("production", Str(service.Result!["default_environment"]!["environment"]));
        Assert.Equal(32, Str(service.Result!["default_environment"]!["script"]!["tag"]).Length);

        AssertOk(await Send("DELETE", Script("api-worker"), Token));
        AssertError(await Send("GET", Script("api-worker") + "/versions", Token), HttpStatusCode.NotFound, 10007);
        AssertError(await Send("DELETE", Script("api-worker"), Token), HttpStatusCode.NotFound, 10007);
        AssertError(await Send("GET", $"accounts/{AccountId}/workers/services/api-worker", Token), HttpStatusCode.NotFound, 10090);
    }

    [Fact]
    public async Task Uploads_need_workers_write()
    {
        var (_, readOnly) = State.AddUserToken(State.AdminUserEmail, "reader", [Id("Workers Scripts Read")]);
        AssertError(await SendContent("PUT", Script("x"), Form(Metadata()), readOnly), HttpStatusCode.Forbidden, 10000);
        AssertOk(await Send("GET", Scripts, readOnly));
    }

    [Fact]
    public async Task The_request_log_holds_no_secret_from_an_upload()
    {
        AssertOk(await Upload("logged", Metadata(SecretBinding("S", SecretValue))));
        var recorded = Cf.Requests.Single(r => r.Path.EndsWith("/logged"));
        Assert.DoesNotContain(SecretValue, recorded.Body);
        Assert.Contains("\"main_module\":\"index.js\"", recorded.Body);
        Assert.Contains("[redacted]", recorded.Body);
    }
}
