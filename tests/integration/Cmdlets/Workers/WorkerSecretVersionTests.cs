using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>
/// The paths around plain secret writes: a gradual deployment refusing them (10214/10215) and -NewVersion, a missing
/// script and -CreateIfMissing, and a bulk limit lower than the client's 100 (100160: split, send only the rest).
/// </summary>
public class WorkerSecretVersionTests : CmdletTestBase
{
    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }

    private string ScriptPath(string script) => $"accounts/{Emulator.State.AccountId}/workers/scripts/{script}";

    private async Task<string> UploadVersionAsync(string script)
    {
        using var http = Api();
        var form = new MultipartFormDataContent();
        form.Add(new StringContent("{\"main_module\":\"index.js\",\"compatibility_date\":\"2025-01-01\",\"bindings\":[],\"keep_bindings\":[\"secret_text\"]}", Encoding.UTF8, "application/json"), "metadata");
        var module = new ByteArrayContent(Encoding.UTF8.GetBytes("export default { fetch() { return new Response('v2'); } };\n"));
        module.Headers.ContentType = MediaTypeHeaderValue.Parse("application/javascript+module");
        form.Add(module, "index.js", "index.js");
        var reply = await http.PostAsync(ScriptPath(script) + "/versions", form);
        var json = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        Assert.True(reply.IsSuccessStatusCode, json.ToJsonString());
        return json["result"]!["id"]!.GetValue<string>();
    }

    private async Task<List<JsonObject>> VersionsAsync(string script)
    {
        using var http = Api();
        var json = JsonNode.Parse(await http.GetStringAsync(ScriptPath(script) + "/versions"))!;
        return json["result"]!["items"]!.AsArray().Select(v => v!.AsObject()).ToList();
    }

    private async Task DeployAsync(string script, params (string Id, double Percentage)[] versions)
    {
        using var http = Api();
        var body = new JsonObject
        {
            ["strategy"] = "percentage",
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["version_id"] = v.Id, ["percentage"] = v.Percentage }).ToArray()),
        };
        var reply = await http.PostAsync(ScriptPath(script) + "/deployments", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateIfMissing_makes_a_draft_Worker_then_sets_the_secret_and_a_gradual_deployment_needs_NewVersion()
    {
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure("gradual-secret-value-1"));
        Ps.Set("w", PsSession.Secure("gradual-secret-value-2"));

        var created = Ps.Run("Set-CfWorkerSecret -Script gradual -Name FIRST -Value $v -CreateIfMissing");
        created.AssertNoErrors();
        Assert.Equal("Applied", Assert.Single(SecretResultView.Of(created)).Status);
        Assert.Contains(Emulator.Requests, r => r.Method == "PUT" && r.Path.EndsWith("/workers/scripts/gradual", StringComparison.Ordinal));
        Assert.Equal("gradual-secret-value-1", Emulator.State.WorkerSecretText("gradual", "FIRST"));

        // A second version at 50%: the latest version is no longer the one deployed at 100%.
        var deployed = (await VersionsAsync("gradual"))[0]["id"]!.GetValue<string>();
        var upload = await UploadVersionAsync("gradual");
        await DeployAsync("gradual", (deployed, 50), (upload, 50));

        Emulator.ClearRequests();
        var refused = Ps.Run("Set-CfWorkerSecret -Script gradual -Name SECOND -Value $w");
        var error = refused.SingleError();
        Assert.StartsWith("WorkerSecretNeedsNewVersion,", error.FullyQualifiedErrorId);
        Assert.Contains("-NewVersion", error.ErrorDetails.RecommendedAction);
        Assert.Contains("Set-CfWorkerDeployment", error.ErrorDetails.RecommendedAction);
        var failed = Assert.Single(SecretResultView.Of(refused));
        Assert.Equal(("Failed", "WorkerSecretNeedsNewVersion"), (failed.Status, failed.ErrorId));

        var versioned = Ps.Run("Set-CfWorkerSecret -Script gradual -Name SECOND -Value $w -NewVersion -Message 'rotate SECOND'");
        versioned.AssertNoErrors();
        var result = Assert.Single(SecretResultView.Of(versioned));
        Assert.Equal("Applied", result.Status);
        Assert.False(string.IsNullOrEmpty(result.VersionId));
        var latest = (await VersionsAsync("gradual"))[0];
        Assert.Equal(result.VersionId, latest["id"]!.GetValue<string>());
        Assert.Equal("rotate SECOND", latest["annotations"]?["workers/message"]?.GetValue<string>());
        var patch = Assert.Single(Emulator.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/workers/workers/gradual/versions/latest", StringComparison.Ordinal));
        Assert.DoesNotContain("gradual-secret-value-2", patch.Body);
        SecretAssert.NotLeaked(versioned, "gradual-secret-value-2");

        // Rolled out (Set-CfWorkerDeployment's job; done here through the API), the version carries the secret.
        await DeployAsync("gradual", (result.VersionId!, 100));
        using var http = Api();
        var detail = JsonNode.Parse(await http.GetStringAsync(ScriptPath("gradual") + "/versions/" + result.VersionId))!;
        var bindings = detail["result"]!["resources"]!["bindings"]!.AsArray().Select(b => b!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("SECOND", bindings);
        Assert.Contains("FIRST", bindings);
    }

    [Fact]
    public async Task A_bulk_limit_below_100_splits_on_100160_and_sends_each_secret_once_more_at_most()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("small");
        using (var admin = new HttpClient())
        {
            var reply = await admin.PostAsync(new Uri(Emulator.BaseUri, "/__emulator/workers/secrets-bulk-limit"),
                new StringContent("{\"limit\":30}", Encoding.UTF8, "application/json"));
            Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        }
        Ps.Set("secrets", Enumerable.Range(0, 100).ToDictionary(i => $"S{i:D3}", i => (object)$"value-{i}").Aggregate(new System.Collections.Hashtable(), (h, p) => { h[p.Key] = p.Value; return h; }));
        Emulator.ClearRequests();

        var result = Ps.Run("Set-CfWorkerSecret -Script small -Secret $secrets");

        result.AssertNoErrors();
        Assert.Equal(100, SecretResultView.Of(result).Count(r => r.Status == "Applied"));
        var bulk = Emulator.Requests.Where(r => r.Path.EndsWith("/secrets-bulk", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, bulk.Count); // 100 refused, 50 + 50 refused, then four batches of 25
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"S{i:D3}"), Emulator.State.WorkerSecretNames("small"));
        Assert.Equal("value-42", Emulator.State.WorkerSecretText("small", "S042"));
    }
}
