using System.Net;
using CfManagement.Api;
using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>
/// The Worker script, version, deployment and script-settings calls against canned answers shaped like the examples in
/// cf-trimmed.json: the paths, queries and bodies sent, and the models read back.
/// </summary>
public class WorkerApiWireTests
{
    private const string Account = "023e105f4ecef8ad9ca31a8372d0c353";
    private const string V1 = "18f97339-c287-4872-9bdd-e2135c07ec12";
    private const string V2 = "bcf48806-b317-4351-9ee7-36e7d557d4de";

    /// <summary>Canned JSON with @V1/@V2 standing for the version ids.</summary>
    private static string J(string json) => json.Replace("@V1", V1).Replace("@V2", V2);

    [Fact]
    public async Task Scripts_are_listed_with_the_tag_filter_and_read_in_full()
    {
        var wire = new RecordingWire().Result("""
            [{"id":"this-is_my_script-01","etag":"ea95132c15732412d22c1476fa83f27a","created_on":"2017-01-01T00:00:00Z",
              "modified_on":"2017-01-01T00:00:00Z","usage_model":"standard","logpush":false,
              "tail_consumers":[{"service":"my-log-consumer","environment":"production","namespace":"my-namespace"}],
              "tags":["prod"],"handlers":["fetch","scheduled"],"compatibility_date":"2025-01-01","compatibility_flags":["nodejs_compat"],
              "has_modules":true,"last_deployed_from":"wrangler","placement_mode":"smart","observability":{"enabled":true}}]
            """);
        var scripts = await new WorkerScriptsApi(wire.Client()).ListAsync(Account, "prod:yes,legacy:no", CancellationToken.None);

        var (method, path, body, _) = Assert.Single(wire.Sent);
        Assert.Equal("GET", method);
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts?tags=prod%3Ayes%2Clegacy%3Ano", path);
        Assert.Null(body);
        var script = Assert.Single(scripts);
        Assert.Equal("this-is_my_script-01", script.ScriptName);
        Assert.Equal(script.ScriptName, script.Script);
        Assert.Equal(["fetch", "scheduled"], script.Handlers);
        Assert.Equal(["prod"], script.Tags);
        Assert.True(script.HasModules);
        Assert.Equal(new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), script.ModifiedOn);
        var consumer = Assert.Single(script.TailConsumers);
        Assert.Equal(("my-log-consumer", "production", "my-namespace", "this-is_my_script-01"), (consumer.Service, consumer.Environment, consumer.Namespace, consumer.ScriptName));
        Assert.Null(script.Deployment);
        Assert.Equal("", script.Traffic);
    }

    [Fact]
    public async Task No_tag_filter_sends_no_query()
    {
        var wire = new RecordingWire().Result("[]");
        Assert.Empty(await new WorkerScriptsApi(wire.Client()).ListAsync(Account, null, CancellationToken.None));
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts", wire.Sent[0].PathAndQuery);
    }

    [Fact]
    public async Task Versions_are_paged_unless_only_deployable_ones_are_asked_for()
    {
        var item = J("""
            {"id":"@V1","number":7,"metadata":{"author_email":"user@example.com","author_id":"408cbcdfd4dda4617efef40b04d168a1",
            "created_on":"2022-11-08T17:19:29.176266Z","modified_on":"2022-11-08T17:19:29.176266Z","source":"api","hasPreview":true},
            "annotations":{"workers/message":"Fix the cache","workers/tag":"v7","workers/triggered_by":"upload"}}
            """);
        var full = "{\"items\":[" + string.Join(",", Enumerable.Repeat(item, WorkerVersionsApi.PageSize)) + "]}";
        var wire = new RecordingWire().Result(full).Result("{\"items\":[" + item + "]}").Result("{\"items\":[" + item + "]}");
        var api = new WorkerVersionsApi(wire.Client());

        var first = await api.ListPageAsync(Account, "api", 1, false, CancellationToken.None);
        Assert.True(first.HasMore);
        var second = await api.ListPageAsync(Account, "api", 2, false, CancellationToken.None);
        Assert.False(second.HasMore);
        var deployable = await api.ListPageAsync(Account, "api", 1, true, CancellationToken.None);
        Assert.False(deployable.HasMore);

        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/versions?page=1&per_page=50", wire.Sent[0].PathAndQuery);
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/versions?page=2&per_page=50", wire.Sent[1].PathAndQuery);
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/versions?deployable=true", wire.Sent[2].PathAndQuery);
        var version = second.Items[0];
        Assert.Equal((V1, V1, 7, "api", "user@example.com", "api"), (version.Id, version.VersionId, version.Number, version.ScriptName, version.AuthorEmail, version.Source));
        Assert.Equal(("Fix the cache", "v7", "upload"), (version.Message, version.Tag, version.TriggeredBy));
        Assert.True(version.HasPreview);
    }

    [Fact]
    public async Task A_version_in_full_has_binding_names_and_types_but_no_values()
    {
        var wire = new RecordingWire().Result(J("""
            {"id":"@V1","number":3,"metadata":{"source":"wrangler","has_preview":false},
             "resources":{"bindings":[{"name":"GREETING","type":"plain_text","text":"hello there"},{"name":"API_KEY","type":"secret_text"}],
               "script":{"etag":"13a3240e8fb414561b0366813b0b8f42b3e6cfa0d9e70e99835dae83d0d8a794","handlers":["fetch"],"last_deployed_from":"api"},
               "script_runtime":{"compatibility_date":"2025-01-01","compatibility_flags":["nodejs_compat"],"usage_model":"standard","limits":{"cpu_ms":50}}}}
            """));
        var version = await new WorkerVersionsApi(wire.Client()).GetAsync(Account, "api", V1, CancellationToken.None);

        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/versions/{V1}", wire.Sent[0].PathAndQuery);
        Assert.Equal(["GREETING (plain_text)", "API_KEY (secret_text)"], version.Bindings.Select(b => b.ToString()));
        Assert.Equal(("2025-01-01", "standard"), (version.CompatibilityDate, version.UsageModel));
        Assert.Equal(["nodejs_compat"], version.CompatibilityFlags);
        Assert.Equal(["fetch"], version.Handlers);
        Assert.False(version.HasPreview);
        // A binding's value (plain_text here) is not carried by the model at all.
        Assert.DoesNotContain(typeof(CfWorkerBinding).GetProperties(), p => p.Name is "Text" or "Value");
    }

    [Fact]
    public async Task Deployments_list_the_current_one_first()
    {
        var wire = new RecordingWire().Result(J("""
            {"deployments":[
              {"id":"dc78f0bc-05c5-46b7-bb4e-137f55930378","created_on":"2022-11-08T17:19:29.176266Z","source":"api","strategy":"percentage",
               "author_email":"user@example.com","annotations":{"workers/message":"canary","workers/triggered_by":"deployment"},
               "versions":[{"version_id":"@V2","percentage":90},{"version_id":"@V1","percentage":10}]},
              {"id":"0c1d6d5b-0a3c-4b8f-9d5e-7d6a1c2b3e4f","created_on":"2022-11-07T17:19:29Z","source":"wrangler","strategy":"percentage",
               "versions":[{"version_id":"@V2","percentage":100}]}]}
            """));
        var deployments = await new WorkerDeploymentsApi(wire.Client()).ListAsync(Account, "api", CancellationToken.None);

        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/deployments", wire.Sent[0].PathAndQuery);
        Assert.Equal([true, false], deployments.Select(d => d.IsCurrent));
        var current = deployments[0];
        Assert.Equal(("canary", "deployment", "user@example.com"), (current.Message, current.TriggeredBy, current.AuthorEmail));
        Assert.Equal("bcf48806 90%, 18f97339 10%", current.Traffic);
        Assert.Equal(10, current.PercentageOf(V1));
        Assert.Equal(0, deployments[1].PercentageOf(V1));
    }

    [Fact]
    public async Task A_deployment_sends_the_whole_split_with_its_message_and_force_as_a_query()
    {
        var answer = J("""{"id":"dc78f0bc-05c5-46b7-bb4e-137f55930378","strategy":"percentage","versions":[{"version_id":"@V1","percentage":33.33},{"version_id":"@V2","percentage":66.67}]}""");
        var wire = new RecordingWire().Result(answer).Result(answer);
        var api = new WorkerDeploymentsApi(wire.Client());
        var split = new[] { new CfWorkerTraffic(V1, 33.33), new CfWorkerTraffic(V2, 66.67) };

        var made = await api.CreateAsync(Account, "api", split, "canary", force: false, CancellationToken.None);
        await api.CreateAsync(Account, "api", split, null, force: true, CancellationToken.None);

        Assert.Equal(("POST", $"/client/v4/accounts/{Account}/workers/scripts/api/deployments", "application/json"),
            (wire.Sent[0].Method, wire.Sent[0].PathAndQuery, wire.Sent[0].ContentType));
        Assert.Equal(J("""{"strategy":"percentage","versions":[{"version_id":"@V1","percentage":33.33},{"version_id":"@V2","percentage":66.67}],"annotations":{"workers/message":"canary"}}"""),
            wire.Sent[0].Body);
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/deployments?force=true", wire.Sent[1].PathAndQuery);
        Assert.Equal(J("""{"strategy":"percentage","versions":[{"version_id":"@V1","percentage":33.33},{"version_id":"@V2","percentage":66.67}]}"""), wire.Sent[1].Body);
        Assert.True(made.IsCurrent);
        Assert.Equal(33.33, made.PercentageOf(V1));
    }

    [Fact]
    public async Task Tail_consumers_are_read_from_and_written_to_script_settings_only()
    {
        var wire = new RecordingWire()
            .Result("""{"logpush":true,"tail_consumers":[{"service":"my-log-consumer"}],"observability":{"enabled":true},"tags":["prod"]}""")
            .Result("""{"logpush":true,"tail_consumers":[{"service":"logger","environment":"production"}],"tags":["prod"]}""")
            .Result("""{"logpush":true,"tail_consumers":null}""");
        var api = new WorkerScriptSettingsApi(wire.Client());

        var current = await api.GetTailConsumersAsync(Account, "api", CancellationToken.None);
        var after = await api.SetTailConsumersAsync(Account, "api", [new CfWorkerTailConsumer("api", "logger", "production", null)], CancellationToken.None);
        var none = await api.SetTailConsumersAsync(Account, "api", [], CancellationToken.None);

        Assert.Equal("my-log-consumer", Assert.Single(current).Service);
        Assert.Equal("logger@production", Assert.Single(after).ToString());
        Assert.Empty(none);
        Assert.All(wire.Sent, s => Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/api/script-settings", s.PathAndQuery));
        Assert.Equal(["GET", "PATCH", "PATCH"], wire.Sent.Select(s => s.Method));
        // Only tail_consumers is sent, so logpush, observability and tags stay as they are; an empty list clears it.
        Assert.Equal("""{"tail_consumers":[{"service":"logger","environment":"production"}]}""", wire.Sent[1].Body);
        Assert.Equal("""{"tail_consumers":[]}""", wire.Sent[2].Body);
    }

    [Fact]
    public async Task A_missing_script_keeps_Cloudflares_code()
    {
        var wire = new RecordingWire().Error(HttpStatusCode.NotFound, 10007, "workers.api.error.script_not_found");
        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() => new WorkerDeploymentsApi(wire.Client()).ListAsync(Account, "gone", CancellationToken.None));
        Assert.True(ex.HasCode(10007));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }
}
