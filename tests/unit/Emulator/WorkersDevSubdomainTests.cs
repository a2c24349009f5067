using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>workers.dev and the upload's deployment_id, as `wrangler deploy` reads and sets them after an upload.</summary>
public sealed class WorkersDevSubdomainTests : WorkerTestBase
{
    [Fact]
    public async Task Account_subdomain_is_seeded_from_the_account_name_and_can_be_changed()
    {
        var seeded = await Send("GET", $"accounts/{AccountId}/workers/subdomain", Token);
        AssertOk(seeded);
        Assert.Equal("demo-account", seeded.Result!["subdomain"]!.GetValue<string>());

        AssertOk(await Send("PUT", $"accounts/{AccountId}/workers/subdomain", Token, new JsonObject { ["subdomain"] = "my-team" }));
        Assert.Equal("my-team", (await Send("GET", $"accounts/{AccountId}/workers/subdomain", Token)).Result!["subdomain"]!.GetValue<string>());
        AssertError(await Send("PUT", $"accounts/{AccountId}/workers/subdomain", Token, new JsonObject { ["subdomain"] = "-Bad_" }), HttpStatusCode.BadRequest, 10021);
    }

    [Fact]
    public async Task Script_flags_start_off_and_are_set_by_POST_and_shown_by_the_worker_object()
    {
        AssertOk(await Upload("dev-worker", Metadata()));
        var before = await Send("GET", Script("dev-worker") + "/subdomain", Token);
        Assert.False(before.Result!["enabled"]!.GetValue<bool>());

        var set = await Send("POST", Script("dev-worker") + "/subdomain", Token, new JsonObject { ["enabled"] = true, ["previews_enabled"] = true });
        AssertOk(set);
        Assert.True(set.Result!["enabled"]!.GetValue<bool>());

        // previews_enabled absent: unchanged.
        var disabled = await Send("POST", Script("dev-worker") + "/subdomain", Token, new JsonObject { ["enabled"] = false });
        Assert.False(disabled.Result!["enabled"]!.GetValue<bool>());
        Assert.True(disabled.Result!["previews_enabled"]!.GetValue<bool>());

        var worker = await Send("GET", $"accounts/{AccountId}/workers/workers/dev-worker", Token);
        AssertOk(worker);
        Assert.Equal("dev-worker", worker.Result!["name"]!.GetValue<string>());
        Assert.False(worker.Result!["subdomain"]!["enabled"]!.GetValue<bool>());
        Assert.True(worker.Result!["subdomain"]!["previews_enabled"]!.GetValue<bool>());

        AssertError(await Send("POST", Script("dev-worker") + "/subdomain", Token, new JsonObject { ["enabled"] = "yes" }), HttpStatusCode.BadRequest, 10021);
        AssertError(await Send("GET", Script("no-such-worker") + "/subdomain", Token), HttpStatusCode.NotFound, 10007);
        AssertError(await Send("GET", $"accounts/{AccountId}/workers/workers/no-such-worker", Token), HttpStatusCode.NotFound, 10007);
    }

    [Fact]
    public async Task Changing_flags_needs_Workers_Scripts_Write()
    {
        AssertOk(await Upload("dev-worker", Metadata()));
        var (_, reader) = State.AddUserToken(State.AdminUserEmail, "workers-read", [State.PermissionGroupId("Workers Scripts Read")]);
        AssertOk(await Send("GET", Script("dev-worker") + "/subdomain", reader));
        AssertError(await Send("POST", Script("dev-worker") + "/subdomain", reader, new JsonObject { ["enabled"] = true }), HttpStatusCode.Forbidden, 10000);
    }

    [Fact]
    public async Task Upload_result_names_the_deployed_version_as_deployment_id()
    {
        var upload = await Upload("dev-worker", Metadata());
        AssertOk(upload);
        var deployments = await Send("GET", Script("dev-worker") + "/deployments", Token);
        var serving = deployments.Result!["deployments"]![0]!["versions"]![0]!["version_id"]!.GetValue<string>();
        Assert.Equal(serving, upload.Result!["deployment_id"]!.GetValue<string>());
    }
}
