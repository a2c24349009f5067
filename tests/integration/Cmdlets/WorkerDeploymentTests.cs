using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Worker scripts, versions, deployments and tail consumers end to end against the emulator: a gradual rollout, a
/// rollback past a secret change, idempotent repeats that send nothing, and API failures kept as Cloudflare said them.
/// </summary>
public class WorkerDeploymentTests : CmdletTestBase
{
    private WorkerUploads Uploads => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private static object? P(PSObject o, string name) => o.Properties[name]?.Value is PSObject w ? w.BaseObject : o.Properties[name]?.Value;

    private static string S(PSObject o, string name) => P(o, name)?.ToString() ?? "";

    /// <summary>The share of <paramref name="versionId"/> in a deployment object (its PercentageOf method, run in PowerShell's terms).</summary>
    private static double Share(PSObject deployment, string versionId) => (double)deployment.Methods["PercentageOf"].Invoke(versionId);

    private int Posts(string path) => Emulator.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(path, StringComparison.Ordinal));

    [Fact]
    public async Task A_gradual_rollout_then_a_forced_rollback()
    {
        var v1 = await Uploads.UploadScriptAsync("api", "one", "prod");
        await Uploads.UploadScriptAsync("worker-two", "two");
        var v2 = await Uploads.UploadVersionAsync("api", "two", "second");
        ConnectOrFail();

        var workers = Ps.Run("Get-CfWorker");
        workers.AssertNoErrors();
        var api = workers.Output.Single(w => S(w, "ScriptName") == "api");
        Assert.Equal($"{v1[..8]} 100%", S(api, "Traffic"));
        Assert.Equal("api", S(api, "Script"));
        Assert.Equal(["api"], Ps.Run("Get-CfWorker -Tag prod").Output.Select(w => S(w, "ScriptName")));
        var untagged = Ps.Run("Get-CfWorker -ExcludeTag prod").Output.Select(w => S(w, "ScriptName")).ToList();
        Assert.Contains("worker-two", untagged);
        Assert.DoesNotContain("api", untagged);

        var versions = Ps.Run("Get-CfWorker -Name api | Get-CfWorkerVersion").Output.ToList();
        Assert.Equal([v2, v1], versions.Select(v => S(v, "Id")));
        Assert.Equal("second", S(versions[0], "Message"));

        Ps.Set("v1", v1);
        Ps.Set("v2", v2);
        var step = Ps.Run("Get-CfWorkerVersion -Script api -Id $v2 | Set-CfWorkerDeployment -Percentage 10 -Message 'canary 10%'");
        step.AssertNoErrors();
        var canary = step.Output.Single();
        Assert.Equal((10.0, 90.0), (Share(canary, v2), Share(canary, v1)));
        Assert.Equal("canary 10%", S(canary, "Message"));
        Assert.Equal(90.0, Share(Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 90").Output.Single(), v2));
        Assert.Equal(100.0, Share(Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v2").Output.Single(), v2));

        // Repeating a step changes nothing and sends no deployment.
        var posts = Posts("/deployments");
        var again = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v2 -Verbose");
        again.AssertNoErrors();
        Assert.Equal(posts, Posts("/deployments"));
        Assert.Contains(again.Verbose, v => v.Message.Contains("nothing to change"));

        // A secret change since v1 blocks the rollback (10220) until forced.
        await Uploads.PutSecretAsync("api", "API_KEY", "rotated-value");
        var current = Ps.Run("(Get-CfWorkerDeployment -Script api -Current).Versions.VersionId").Output.Single().ToString();
        var refused = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v1 -Message rollback").SingleError();
        Assert.StartsWith("ApiInvalidRequest,", refused.FullyQualifiedErrorId);
        Assert.Contains("10220", refused.ErrorDetails.Message);
        Assert.Contains("-Force", refused.ErrorDetails.RecommendedAction);
        Assert.Equal(current, Ps.Run("(Get-CfWorkerDeployment -Script api -Current).Versions.VersionId").Output.Single().ToString());

        var rolledBack = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v1 -Force -Message rollback");
        rolledBack.AssertNoErrors();
        Assert.Equal(100.0, Share(rolledBack.Output.Single(), v1));
        Assert.Contains(Emulator.Requests, r => r.Method == "POST" && r.Path.EndsWith("/deployments") && r.Query.Contains("force=true"));

        var history = Ps.Run("Get-CfWorkerDeployment -Script api").Output.ToList();
        Assert.Equal(true, P(history[0], "IsCurrent"));
        Assert.Equal("rollback", S(history[0], "Message"));
        Assert.All(history.Skip(1), d => Assert.Equal(false, P(d, "IsCurrent")));
    }

    [Fact]
    public async Task WhatIf_sends_no_deployment_and_a_lone_share_needs_another_version()
    {
        var v1 = await Uploads.UploadScriptAsync("api");
        var v2 = await Uploads.UploadVersionAsync("api", "two");
        ConnectOrFail();
        Ps.Set("v1", v1);
        Ps.Set("v2", v2);
        var whatIf = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 25 -WhatIf");
        whatIf.AssertNoErrors();
        Assert.Contains($"{v2} at 25% + {v1} at 75%", whatIf.HostText);
        Assert.Equal(0, Posts("/deployments"));

        var table = Ps.Run($"Set-CfWorkerDeployment -Script api -Traffic @{{ '{v1}' = 60; '{v2}' = 40 }}");
        table.AssertNoErrors();
        Assert.Equal((60.0, 40.0), (Share(table.Output.Single(), v1), Share(table.Output.Single(), v2)));

        // Two versions serve now: a third at 10% cannot tell which one gives up the traffic.
        var v3 = await Uploads.UploadVersionAsync("api", "three");
        Ps.Set("v3", v3);
        Emulator.ClearRequests();
        var unresolved = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v3 -Percentage 10").SingleError();
        Assert.StartsWith("TrafficSplitUnresolved,", unresolved.FullyQualifiedErrorId);
        Assert.Equal(0, Posts("/deployments"));
        Assert.Equal(2, Ps.Run("(Get-CfWorkerDeployment -Script api -Current).Versions").Output.Count);
    }

    [Fact]
    public async Task Tail_consumers_change_through_script_settings_and_a_repeat_changes_nothing()
    {
        await Uploads.UploadScriptAsync("api");
        await Uploads.UploadScriptAsync("logger");
        ConnectOrFail();

        var added = Ps.Run("Set-CfWorkerTailConsumer -Script api -Add logger, @{ service = 'audit'; environment = 'production' }");
        added.AssertNoErrors();
        Assert.Equal(["Added logger", "Added audit"], added.Output.Select(c => $"{S(c, "Action")} {S(c, "Service")}"));
        Assert.Equal(["logger", "audit@production"], Ps.Run("Get-CfWorkerTailConsumer -Script api").Output.Select(c => c.BaseObject.ToString()));
        Assert.DoesNotContain(Emulator.Requests, r => r.Path.EndsWith("/settings", StringComparison.Ordinal));

        Emulator.ClearRequests();
        var again = Ps.Run("Set-CfWorkerTailConsumer -Script api -Add logger");
        again.AssertNoErrors();
        var unchanged = again.Output.Single();
        Assert.Equal(("Unchanged", "already a tail consumer"), (S(unchanged, "Action"), S(unchanged, "Reason")));
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "PATCH");

        var removed = Ps.Run("Get-CfWorker -Name api | Set-CfWorkerTailConsumer -Remove audit, ghost");
        Assert.Equal(["Removed audit", "Unchanged ghost"], removed.Output.Select(c => $"{S(c, "Action")} {S(c, "Service")}"));
        Assert.Equal(["logger"], Ps.Run("(Get-CfWorker -Name api).TailConsumers.Service").Output.Select(o => o.ToString()));

        Ps.Run("Set-CfWorkerTailConsumer -Script api -Replace @() -WhatIf").AssertNoErrors();
        Assert.Single(Ps.Run("Get-CfWorkerTailConsumer -Script api").Output);
        Ps.Run("Set-CfWorkerTailConsumer -Script api -Replace @()").AssertNoErrors();
        Assert.Empty(Ps.Run("Get-CfWorkerTailConsumer -Script api").Output);
    }

    [Fact]
    public async Task Missing_scripts_and_versions_are_their_own_errors_keeping_Cloudflares_codes()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        foreach (var script in new[] { "Get-CfWorkerDeployment -Script ghost", "Get-CfWorkerVersion -Script ghost", "Get-CfWorkerTailConsumer -Script ghost",
                     "Set-CfWorkerDeployment -Script ghost -VersionId 18f97339-c287-4872-9bdd-e2135c07ec12" })
        {
            var error = Ps.Run(script).SingleError();
            Assert.StartsWith("WorkerScriptNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("10007", error.ErrorDetails.Message);
        }
        var literal = Ps.Run("Get-CfWorker -Name ghost, api");
        Assert.StartsWith("WorkerScriptNotFound,", literal.SingleError().FullyQualifiedErrorId);
        Assert.Equal(["api"], literal.Output.Select(w => S(w, "ScriptName")));
        Assert.Empty(Ps.Run("Get-CfWorker -Name 'gho*'").AllErrors);

        var noVersion = Ps.Run("Get-CfWorkerVersion -Script api -Id 18f97339-c287-4872-9bdd-e2135c07ec12").SingleError();
        Assert.StartsWith("WorkerVersionNotFound,", noVersion.FullyQualifiedErrorId);
        Assert.Contains("10235", noVersion.ErrorDetails.Message);
        var deployMissing = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId 18f97339-c287-4872-9bdd-e2135c07ec12").SingleError();
        Assert.StartsWith("WorkerVersionNotFound,", deployMissing.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_passing_5xx_is_retried_and_a_lasting_one_is_ApiUnavailable()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail(extra: "-MaxRetryCount 1");
        var once = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathContains = "/deployments", Method = "GET", Times = 1 });
        var listed = Ps.Run("Get-CfWorker -Name api");
        listed.AssertNoErrors();
        Assert.Equal(1, once.Hits);
        Assert.NotEmpty(S(listed.Output.Single(), "Traffic"));

        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 502, PathContains = "/script-settings", Times = -1 });
        var error = Ps.Run("Get-CfWorkerTailConsumer -Script api").SingleError();
        Assert.StartsWith("ApiUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("502", error.ErrorDetails.Message);

        // A script whose deployments cannot be read is still listed, after its error.
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 403, PathContains = "/deployments", Times = -1 });
        var partial = Ps.Run("Get-CfWorker -Name api");
        Assert.StartsWith("ApiPermissionDenied,", partial.SingleError().FullyQualifiedErrorId);
        Assert.Equal("", S(partial.Output.Single(), "Traffic"));
    }

    [Fact]
    public async Task A_deployment_and_a_tail_consumer_change_are_retried_after_a_5xx_or_reset_because_they_state_the_whole_result()
    {
        await Uploads.UploadScriptAsync("api");
        await Uploads.UploadScriptAsync("logger");
        var v2 = await Uploads.UploadVersionAsync("api", "two");
        ConnectOrFail(extra: "-MaxRetryCount 2");
        Ps.Set("v2", v2);
        var post = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathContains = "/deployments", Method = "POST", Times = 1 });
        var reset = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Reset, PathContains = "/script-settings", Method = "PATCH", Times = 1 });

        var deployed = Ps.Run("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 30");
        deployed.AssertNoErrors();
        Assert.Equal(1, post.Hits);
        Assert.Equal(30.0, Share(deployed.Output.Single(), v2));
        Assert.Equal(2, Posts("/deployments")); // the refused attempt and the retry

        var added = Ps.Run("Set-CfWorkerTailConsumer -Script api -Add logger");
        added.AssertNoErrors();
        Assert.Equal(1, reset.Hits);
        Assert.Equal(["logger"], Ps.Run("(Get-CfWorkerTailConsumer -Script api).Service").Output.Select(o => o.ToString()));
    }
}
