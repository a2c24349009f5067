using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>Publish-CfWorker against the emulator: what arrives, what survives, what is retried, and what never leaks.</summary>
public class PublishCfWorkerTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    private JsonNode? Api(HttpMethod method, string path, string? json = null)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        using var request = new HttpRequestMessage(method, $"accounts/{Emulator.State.AccountId}/workers/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = http.Send(request);
        var envelope = JsonNode.Parse(response.Content.ReadAsStringAsync().Result)!;
        Assert.True((bool)envelope["success"]!, $"{method} {path}: {envelope.ToJsonString()}");
        return envelope["result"];
    }

    /// <summary>The one CfWorkerUpload a run wrote (the tests see it as a PSObject: they do not reference the engine).</summary>
    private static PSObject Single(PsResult result)
    {
        var output = Assert.Single(result.Output);
        Assert.Equal("CfManagement.Model.CfWorkerUpload", output.BaseObject.GetType().FullName);
        return output;
    }

    private static object? Get(PSObject o, string property) => o.Properties[property].Value;

    private List<string> Bindings(string script) =>
        Api(HttpMethod.Get, $"scripts/{script}/settings")!["bindings"]!.AsArray().Select(b => $"{b!["name"]}:{b["type"]}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    private List<RecordedRequest> Uploads(string method, string script) =>
        Emulator.Requests.Where(r => r.Method == method && r.Path.EndsWith($"/workers/scripts/{script}" + (method == "POST" ? "/versions" : ""), StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_deploy_from_toml_with_every_binding_kind_keeps_existing_secrets_and_a_redeploy_sends_the_same_bytes()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail();

        var first = Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml");
        first.AssertSucceeded("first deploy");
        var upload = Single(first);
        Assert.Equal("shop", Get(upload, "Script"));
        Assert.Equal(false, Get(upload, "VersionOnly"));
        Assert.Equal(new[] { "index.js", "lib/greet.js", "page.html" }, ((System.Collections.IEnumerable)Get(upload, "Modules")!).Cast<object>().Select(m => PSObject.AsPSObject(m).Properties["Name"].Value));
        Assert.Equal(new[] { "secret_text", "secret_key" }, ((System.Collections.IEnumerable)Get(upload, "KeptBindingTypes")!).Cast<string>());
        Assert.Contains(first.Warnings, w => w.Message.Contains("'routes'"));

        // A secret set the way wrangler secret put does; the next deploy must not wipe it.
        Api(HttpMethod.Put, "scripts/shop/secrets", """{"name":"EXISTING","text":"kept-value","type":"secret_text"}""");
        Emulator.ClearRequests();
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml").AssertSucceeded("second deploy");
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml").AssertSucceeded("third deploy");

        Assert.Equal("kept-value", Emulator.State.WorkerSecretText("shop", "EXISTING"));
        Assert.Equal(new[]
        {
            "API_URL:plain_text", "ASSETS:r2_bucket", "AUTH:service", "CACHE:kv_namespace", "CART:durable_object_namespace", "DB:d1",
            "EVENTS:analytics_engine", "EXISTING:secret_text", "LIMITS:json", "ORDERS:queue", "STRIPE_KEY:secrets_store_secret",
        }, Bindings("shop"));
        var settings = Api(HttpMethod.Get, "scripts/shop/script-settings")!;
        Assert.True((bool)settings["logpush"]!);
        Assert.Equal("shop-tail", (string?)settings["tail_consumers"]![0]!["service"]);

        var puts = Uploads("PUT", "shop");
        Assert.Equal(2, puts.Count);
        Assert.Equal(puts[0].Body, puts[1].Body);                   // the re-deploy is byte-identical (as logged)
        Assert.Contains("excludeScript=true", puts[0].Query);
        Assert.Contains("bindings_inherit=strict", puts[0].Query);
        Assert.Contains("keep_bindings", puts[0].Body);

        // -ReplaceSecrets sends no keep_bindings: the old secret goes.
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml -ReplaceSecrets").AssertSucceeded("replace secrets");
        Assert.DoesNotContain("EXISTING", Emulator.State.WorkerSecretNames("shop"));
    }

    [Fact]
    public void VersionOnly_uploads_a_version_and_leaves_the_deployment_unchanged()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail();
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml").AssertSucceeded("deploy");
        var before = Api(HttpMethod.Get, "scripts/shop/deployments")!["deployments"]!.ToJsonString();

        var result = Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml -VersionOnly -Message 'canary build' -Tag abc123");
        result.AssertSucceeded("version upload");
        var version = Single(result);
        Assert.Equal(true, Get(version, "VersionOnly"));
        var versionId = Assert.IsType<string>(Get(version, "VersionId"));

        Assert.Equal(before, Api(HttpMethod.Get, "scripts/shop/deployments")!["deployments"]!.ToJsonString());
        var newest = Api(HttpMethod.Get, "scripts/shop/versions")!["items"]![0]!;
        Assert.Equal(versionId, (string?)newest["id"]);
        Assert.Equal("canary build", (string?)newest["annotations"]!["workers/message"]);
        Assert.Equal("abc123", (string?)newest["annotations"]!["workers/tag"]);
    }

    [Fact]
    public void Environment_deploys_the_suffixed_script_with_only_the_environments_bindings()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail();
        var result = Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml -Environment staging");
        result.AssertSucceeded("staging deploy");
        Assert.Equal("shop-staging", Get(Single(result), "Script"));
        Assert.Equal(new[] { "API_URL:plain_text", "CACHE:kv_namespace" }, Bindings("shop-staging"));
        Assert.DoesNotContain("shop", Emulator.State.WorkerScripts);
    }

    [Fact]
    public void A_deploy_is_retried_after_a_5xx_but_a_version_upload_is_not()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail(extra: "-MaxRetryCount 2");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 502, Times = 1, Method = "PUT", PathContains = "/workers/scripts/shop" });
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml").AssertSucceeded("deploy through a 502");
        Assert.Equal(2, Uploads("PUT", "shop").Count);

        Emulator.ClearRequests();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 502, Times = 1, Method = "POST", PathContains = "/versions" });
        Ps.Run("Publish-CfWorker -Config $Dir/wrangler.toml -VersionOnly").AssertFailedWith("version upload", "ApiUnavailable");
        Assert.Single(Uploads("POST", "shop"));
    }

    [Fact]
    public void Cloudflare_refusing_the_upload_keeps_its_code_and_message()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail();
        // A service binding to a Worker and an inherit binding that does not exist: the emulator refuses inherit under bindings_inherit=strict.
        var result = Ps.Run("Publish-CfWorker -Name fresh -Main $Dir/src/index.js -CompatibilityDate 2025-01-01 -Binding @{ type = 'inherit'; name = 'GONE' }");
        var error = result.SingleError();
        Assert.StartsWith("ApiInvalidRequest,", error.FullyQualifiedErrorId);
        Assert.Contains("10057", error.ErrorDetails?.Message ?? error.Exception.Message);
    }

    [Fact]
    public void No_secret_reaches_any_stream_or_the_request_log()
    {
        using var project = new WorkerProject();
        Ps.Set("Dir", project.Root);
        ConnectOrFail();
        const string varSecret = "var-secret-6f1d2b7c";
        const string bindingSecret = "binding-secret-9a8e7d";
        Ps.Set("VarSecret", PsSession.Secure(varSecret));
        Ps.Set("BindingSecret", PsSession.Secure(bindingSecret));
        var command = "Publish-CfWorker -Name leaky -Main $Dir/src/index.js -CompatibilityDate 2025-01-01 " +
            "-Var @{ API_KEY = $VarSecret; MODE = 'prod' } -Binding @{ type = 'secret_text'; name = 'TOKEN'; text = $BindingSecret }";

        var whatIf = Ps.Run(Loud + command + " -WhatIf");
        whatIf.AssertNoErrors();
        Assert.Contains("API_KEY (secret_text)", whatIf.HostText + string.Join("\n", whatIf.AllText()));
        var deployed = Ps.Run(Loud + command);
        deployed.AssertSucceeded("deploy with secrets");
        var version = Ps.Run(Loud + command + " -VersionOnly");
        version.AssertSucceeded("version with secrets");
        var rendered = Ps.Render(command + " | Format-List *; " + command + " | Format-Table");

        // The secrets did arrive (so the runs above carried them) ...
        Assert.Equal(varSecret, Emulator.State.WorkerSecretText("leaky", "API_KEY"));
        Assert.Equal(bindingSecret, Emulator.State.WorkerSecretText("leaky", "TOKEN"));
        // ... and appear nowhere else.
        foreach (var result in new[] { whatIf, deployed, version }) SecretAssert.NotLeaked(result, varSecret, bindingSecret);
        Assert.DoesNotContain(varSecret, rendered);
        Assert.DoesNotContain(bindingSecret, rendered);
        foreach (var request in Emulator.Requests)
        {
            Assert.DoesNotContain(varSecret, request.Body);
            Assert.DoesNotContain(bindingSecret, request.Body);
        }
    }
}
