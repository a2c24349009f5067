using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class WorkerVersionTests : WorkerTestBase
{
    private const string SecretValue = "version-s3cr3t-never-echoed";

    [Fact]
    public async Task A_version_upload_does_not_deploy_and_lists_newest_first()
    {
        var before = (await Deployments("api-worker")).Count;
        var metadata = Metadata(Binding("V", "plain_text", ("text", "1")));
        metadata["annotations"] = new JsonObject { ["workers/message"] = new string('é', 600), ["workers/tag"] = "v2" };
        var reply = await UploadVersion("api-worker", metadata);

        AssertOk(reply);
        var id = Str(reply.Result!["id"]);
        Assert.Equal(2, reply.Result!["number"]!.GetValue<int>());
        Assert.Equal(1000, Encoding.UTF8.GetByteCount(Str(reply.Result!["annotations"]!["workers/message"])));
        Assert.Equal("v2", Str(reply.Result!["annotations"]!["workers/tag"]));
        Assert.False(reply.Result!["metadata"]!["has_preview"]!.GetValue<bool>());
        Assert.True(reply.Result!["startup_time_ms"]!.GetValue<long>() >= 1);
        Assert.NotNull(reply.Result!["resources"]!["script_runtime"]);

        var versions = await Versions("api-worker");
        Assert.Equal([id], versions.Take(1).Select(v => Str(v["id"])));
        Assert.Equal([2, 1], versions.Select(v => v["number"]!.GetValue<int>()));
        Assert.Equal(before, (await Deployments("api-worker")).Count);

        var paged = await Send("GET", Script("api-worker") + "/versions?per_page=1&page=2", Token);
        Assert.Equal(1, Assert.Single(paged.Result!["items"]!.AsArray())!["number"]!.GetValue<int>());
        var deployable = await Send("GET", Script("api-worker") + "/versions?deployable=true&per_page=1", Token);
        Assert.Equal(2, deployable.Result!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Version_detail_never_returns_secret_text()
    {
        AssertOk(await PutSecret("api-worker", "S", SecretValue));
        var latest = Str((await Versions("api-worker"))[0]["id"]);
        var detail = await Send("GET", Script("api-worker") + "/versions/" + latest, Token);
        AssertOk(detail);
        var binding = Assert.Single(detail.Result!["resources"]!["bindings"]!.AsArray())!;
        Assert.Equal("S", Str(binding["name"]));
        Assert.Null(binding["text"]);
        Assert.DoesNotContain(SecretValue, detail.Json.ToJsonString());
        Assert.Equal(64, Str(detail.Result!["resources"]!["script"]!["etag"]).Length);
        AssertError(await Send("GET", Script("api-worker") + "/versions/" + Guid.NewGuid(), Token), HttpStatusCode.NotFound, 10235);
    }

    [Fact]
    public async Task Inherit_copies_from_the_latest_version_and_strict_refuses_a_dangling_one()
    {
        AssertOk(await PutSecret("api-worker", "S", SecretValue));
        var inherit = Metadata(Binding("S", "inherit"), Binding("RENAMED", "inherit", ("old_name", "S")));
        AssertOk(await UploadVersion("api-worker", inherit, "?bindings_inherit=strict"));
        var detail = await Send("GET", Script("api-worker") + "/versions/" + Str((await Versions("api-worker"))[0]["id"]), Token);
        Assert.Equal(["S", "RENAMED"], detail.Result!["resources"]!["bindings"]!.AsArray().Select(b => Str(b!["name"])));
        Assert.All(detail.Result!["resources"]!["bindings"]!.AsArray(), b => Assert.Equal("secret_text", Str(b!["type"])));

        var dangling = await UploadVersion("api-worker", Metadata(Binding("NOPE", "inherit")), "?bindings_inherit=strict");
        AssertError(dangling, HttpStatusCode.BadRequest, 10057);
        Assert.Equal("inherit binding 'NOPE' is invalid", dangling.ErrorMessage);
        AssertOk(await UploadVersion("api-worker", Metadata(Binding("NOPE", "inherit"))));
    }

    [Fact]
    public async Task Version_upload_refusals()
    {
        var tag = Metadata();
        tag["annotations"] = new JsonObject { ["workers/tag"] = new string('t', 101) };
        AssertError(await UploadVersion("api-worker", tag), HttpStatusCode.BadRequest, 10021);
        var serviceWorker = Metadata();
        serviceWorker.Remove("main_module");
        serviceWorker["body_part"] = "index.js";
        AssertError(await UploadVersion("api-worker", serviceWorker), HttpStatusCode.BadRequest, 10021);
        AssertError(await UploadVersion("missing", Metadata()), HttpStatusCode.NotFound, 10007);
    }

    [Fact]
    public async Task Deployments_split_traffic_and_validate_their_body()
    {
        var v1 = Str((await Versions("api-worker"))[0]["id"]);
        var v2 = Str((await UploadVersion("api-worker", Metadata())).Result!["id"]);

        var reply = await Deploy("api-worker", (v2, 50), (v1, 50));
        AssertOk(reply);
        Assert.Equal("percentage", Str(reply.Result!["strategy"]));
        var current = (await Deployments("api-worker"))[0];
        Assert.Equal(Str(reply.Result!["id"]), Str(current["id"]));
        Assert.Equal([v2, v1], current["versions"]!.AsArray().Select(v => Str(v!["version_id"])));

        AssertError(await Deploy("api-worker", (v2, 60), (v1, 50)), HttpStatusCode.BadRequest, 10021);
        AssertError(await Deploy("api-worker", (v2, 100), (v2, 0)), HttpStatusCode.BadRequest, 10021);
        AssertError(await Deploy("api-worker", (v2, 50), (v2, 50)), HttpStatusCode.BadRequest, 10021);
        AssertError(await Deploy("api-worker"), HttpStatusCode.BadRequest, 10021);
        AssertError(await Deploy("api-worker", (Guid.NewGuid().ToString(), 100)), HttpStatusCode.NotFound, 10235);
        AssertError(await Send("POST", Script("api-worker") + "/deployments", Token,
            new JsonObject { ["strategy"] = "all", ["versions"] = new JsonArray() }), HttpStatusCode.BadRequest, 10021);
        AssertOk(await Deploy("api-worker", (v2, 99.99), (v1, 0.01)));
    }

    [Fact]
    public async Task Two_versions_with_different_exports_cannot_share_a_deployment()
    {
        var v1 = Str((await Versions("api-worker"))[0]["id"]);
        var withClass = Encoding.UTF8.GetBytes(ModuleSource + "export class Room {}\n");
        var v2 = Str((await SendContent("POST", Script("api-worker") + "/versions",
            Form(Metadata(), ("index.js", "application/javascript+module", withClass)))).Result!["id"]);

        var reply = await Deploy("api-worker", (v2, 50), (v1, 50));
        AssertError(reply, HttpStatusCode.BadRequest, 100405);
        Assert.Contains("Room", reply.ErrorMessage);
        AssertOk(await Deploy("api-worker", (v2, 100)));
    }

    [Fact]
    public async Task Secret_edits_are_refused_while_the_latest_version_is_not_fully_deployed()
    {
        var v1 = Str((await Versions("api-worker"))[0]["id"]);
        var v2 = Str((await UploadVersion("api-worker", Metadata())).Result!["id"]);

        // Uploaded, not deployed.
        var put = await PutSecret("api-worker", "S", SecretValue);
        AssertError(put, HttpStatusCode.BadRequest, 10215);
        Assert.Contains("latest version of your Worker isn't currently deployed", put.ErrorMessage);
        AssertError(await MergePatch(Script("api-worker") + "/secrets-bulk",
            new JsonObject { ["secrets"] = new JsonObject { ["S"] = SecretBinding("S", SecretValue) } }), HttpStatusCode.BadRequest, 10215);
        var settings = await PatchSettings("api-worker", new JsonObject { ["logpush"] = true });
        AssertError(settings, HttpStatusCode.BadRequest, 10214);
        Assert.Equal("Script edit failed. You attempted to deploy the latest version with modified settings, but the latest version isn't currently deployed. Either upload a new version to edit the version settings, or use the script-level settings API to modify the \"logpush\" and \"tail_consumers\" settings.",
            settings.ErrorMessage);

        // A gradual deployment: bulk answers 10214, put 10215.
        AssertOk(await Deploy("api-worker", (v2, 50), (v1, 50)));
        AssertError(await PutSecret("api-worker", "S", SecretValue), HttpStatusCode.BadRequest, 10215);
        AssertError(await MergePatch(Script("api-worker") + "/secrets-bulk",
            new JsonObject { ["secrets"] = new JsonObject { ["S"] = SecretBinding("S", SecretValue) } }), HttpStatusCode.BadRequest, 10214);
        Assert.Empty(State.WorkerSecretNames("api-worker"));

        // Fully deployed: the edit makes a new version serving all traffic.
        AssertOk(await Deploy("api-worker", (v2, 100)));
        AssertOk(await PutSecret("api-worker", "S", SecretValue));
        var latest = (await Versions("api-worker"))[0];
        Assert.Equal(3, latest["number"]!.GetValue<int>());
        Assert.Equal("secret", Str(latest["annotations"]!["workers/triggered_by"]));
        var serving = Assert.Single((await Deployments("api-worker"))[0]["versions"]!.AsArray())!;
        Assert.Equal(Str(latest["id"]), Str(serving["version_id"]));
        Assert.Equal(100, serving["percentage"]!.GetValue<double>());
    }

    [Fact]
    public async Task Rolling_back_over_a_secret_change_needs_force()
    {
        var v1 = Str((await Versions("api-worker"))[0]["id"]);
        AssertOk(await PutSecret("api-worker", "TOKEN", SecretValue));

        var refused = await Deploy("api-worker", (v1, 100));
        AssertError(refused, HttpStatusCode.BadRequest, 10220);
        Assert.EndsWith("The following secrets have changed: TOKEN", refused.ErrorMessage);
        Assert.DoesNotContain(SecretValue, refused.Json.ToJsonString());

        AssertOk(await DeployWith("api-worker", "?force=true", (v1, 100)));
        Assert.Equal(v1, Str((await Deployments("api-worker"))[0]["versions"]![0]!["version_id"]));
    }

    [Fact]
    public async Task Patching_the_latest_version_makes_an_undeployed_version_with_the_change()
    {
        AssertOk(await PutSecret("api-worker", "KEEP", "kept"));
        AssertOk(await PutSecret("api-worker", "OLD", "old"));
        var deployedBefore = (await Deployments("api-worker"))[0];
        var path = $"accounts/{AccountId}/workers/workers/api-worker/versions/latest";

        var reply = await MergePatch(path, new JsonObject
        {
            ["env"] = new JsonObject { ["NEW"] = new JsonObject { ["type"] = "secret_text", ["text"] = SecretValue }, ["OLD"] = null },
            ["annotations"] = new JsonObject { ["workers/message"] = "Updated secret \"NEW\"" },
        });

        AssertOk(reply);
        var versions = await Versions("api-worker");
        Assert.Equal(Str(versions[0]["id"]), Str(reply.Result!["id"]));
        Assert.Equal(64, Str(reply.Result!["etag"]).Length);
        Assert.Equal(Str(deployedBefore["id"]), Str(reply.Result!["deployment_id"]));
        Assert.Equal("Updated secret \"NEW\"", Str(versions[0]["annotations"]!["workers/message"]));
        Assert.Equal(["KEEP", "NEW"], State.WorkerSecretNames("api-worker"));
        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "NEW"));
        Assert.Equal(Str(deployedBefore["id"]), Str((await Deployments("api-worker"))[0]["id"]));
        Assert.DoesNotContain(SecretValue, reply.Json.ToJsonString());
        Assert.All(Cf.Requests, r => Assert.DoesNotContain(SecretValue, r.Body));

        // The new version copies the code: its content is the seeded module.
        var detail = await Send("GET", Script("api-worker") + "/versions/" + Str(reply.Result!["id"]), Token);
        Assert.Equal(["fetch"], detail.Result!["resources"]!["script"]!["handlers"]!.AsArray().Select(Str));

        // And secret PUT is now refused until it is deployed.
        AssertError(await PutSecret("api-worker", "X", "x"), HttpStatusCode.BadRequest, 10215);
        AssertError(await MergePatch($"accounts/{AccountId}/workers/workers/missing/versions/latest", new JsonObject()), HttpStatusCode.NotFound, 10007);
        AssertError(await MergePatch(path, new JsonObject { ["env"] = new JsonObject { ["BAD"] = new JsonObject { ["type"] = "secret_text" } } }),
            HttpStatusCode.BadRequest, 10021);
    }

    [Fact]
    public async Task Script_settings_apply_at_once_without_a_version_and_settings_make_a_deployed_one()
    {
        var versionsBefore = (await Versions("api-worker")).Count;
        var patch = await Send("PATCH", Script("api-worker") + "/script-settings", Token, new JsonObject
        {
            ["logpush"] = true,
            ["tail_consumers"] = new JsonArray(new JsonObject { ["service"] = "tail-worker" }),
            ["observability"] = new JsonObject { ["enabled"] = true, ["head_sampling_rate"] = 0.5 },
            ["tags"] = new JsonArray("prod"),
        });
        AssertOk(patch);
        Assert.True(patch.Result!["logpush"]!.GetValue<bool>());
        Assert.Equal(versionsBefore, (await Versions("api-worker")).Count);
        var get = await Send("GET", Script("api-worker") + "/script-settings", Token);
        Assert.Equal("tail-worker", Str(get.Result!["tail_consumers"]![0]!["service"]));
        AssertError(await Send("PATCH", Script("api-worker") + "/script-settings", Token, new JsonObject { ["logpush"] = "yes" }),
            HttpStatusCode.BadRequest, 10021);

        AssertOk(await PutSecret("api-worker", "S", SecretValue));
        var settings = await PatchSettings("api-worker", new JsonObject
        {
            ["compatibility_date"] = "2025-06-01",
            ["bindings"] = new JsonArray(new JsonObject { ["name"] = "S", ["type"] = "secret_text" },
                Binding("V", "plain_text", ("text", "v"))),
        });
        AssertOk(settings);
        Assert.Equal("2025-06-01", Str(settings.Result!["compatibility_date"]));
        Assert.Equal(SecretValue, State.WorkerSecretText("api-worker", "S"));
        Assert.DoesNotContain(SecretValue, settings.Json.ToJsonString());
        var latest = (await Versions("api-worker"))[0];
        Assert.Equal(Str(latest["id"]), Str((await Deployments("api-worker"))[0]["versions"]![0]!["version_id"]));
        var read = await Send("GET", Script("api-worker") + "/settings", Token);
        Assert.Equal(["S", "V"], read.Result!["bindings"]!.AsArray().Select(b => Str(b!["name"])));
        Assert.True(read.Result!["logpush"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_bulk_limit_is_configurable_and_being_modified_is_a_fault()
    {
        async Task<Reply> Bulk(int count)
        {
            var secrets = new JsonObject();
            for (var i = 0; i < count; i++)
                secrets["S" + i] = SecretBinding("S" + i, "v");
            return await MergePatch(Script("api-worker") + "/secrets-bulk", new JsonObject { ["secrets"] = secrets });
        }

        var set = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/workers/secrets-bulk-limit"),
            new StringContent("{\"limit\":3}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        AssertError(await Bulk(4), HttpStatusCode.BadRequest, 100160);
        AssertOk(await Bulk(3));

        var fault = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/faults"), new StringContent(
            "{\"method\":\"PATCH\",\"pathContains\":\"/secrets-bulk\",\"kind\":\"Status\",\"statusCode\":429,\"times\":2}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Bulk(1)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Bulk(1)).Status);
        AssertOk(await Bulk(1));

        await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/reset"), null);
        var limit = JsonNode.Parse(await Http.GetStringAsync(new Uri(Cf.BaseUri, "/__emulator/workers/secrets-bulk-limit")))!;
        Assert.Equal(100, limit["result"]!["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task Memberships_list_the_account_for_user_tokens()
    {
        var reply = await Send("GET", "memberships", Token);
        AssertOk(reply);
        var membership = Assert.Single(reply.Result!.AsArray())!;
        Assert.Equal(AccountId, Str(membership["account"]!["id"]));
        Assert.Equal(State.AccountName, Str(membership["account"]!["name"]));
        Assert.Equal("accepted", Str(membership["status"]));
        Assert.Equal(1, reply.Json["result_info"]!["total_count"]!.GetValue<int>());
        AssertError(await Send("GET", "memberships", State.AccountTokenValue), HttpStatusCode.Unauthorized, 10001);
    }

    [Fact]
    public async Task Admin_and_state_shortcuts_make_an_undeployed_version()
    {
        var first = Assert.Single(State.WorkerVersionIds("cron-worker"));
        var added = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/workers/versions"),
            new StringContent("{\"script\":\"cron-worker\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var id = Str(JsonNode.Parse(await added.Content.ReadAsStringAsync())!["result"]!["id"]);
        Assert.Equal([first, id], State.WorkerVersionIds("cron-worker"));
        Assert.Equal(100, State.WorkerDeployedVersions("cron-worker")[first]);
        AssertError(await PutSecret("cron-worker", "S", "v"), HttpStatusCode.BadRequest, 10215);

        var summary = JsonNode.Parse(await Http.GetStringAsync(new Uri(Cf.BaseUri, "/__emulator/workers/cron-worker")))!["result"]!;
        Assert.Equal(2, summary["versions"]!.AsArray().Count);
        Assert.Equal(100, summary["deployment"]![first]!.GetValue<double>());

        var deployed = State.AddWorkerVersion("cron-worker", deploy: true);
        Assert.Equal(100, Assert.Single(State.WorkerDeployedVersions("cron-worker")).Value);
        Assert.Equal(deployed, State.WorkerDeployedVersions("cron-worker").Keys.Single());
        AssertOk(await PutSecret("cron-worker", "S", "v"));
        var missing = await Http.PostAsync(new Uri(Cf.BaseUri, "/__emulator/workers/versions"),
            new StringContent("{\"script\":\"nope\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private Task<Reply> PatchSettings(string script, JsonObject settings)
    {
        var form = new MultipartFormDataContent { { new StringContent(settings.ToJsonString(), Encoding.UTF8, "application/json"), "settings" } };
        return SendContent("PATCH", Script(script) + "/settings", form);
    }
}
