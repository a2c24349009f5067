using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>
/// Start-CfTail -PagesProject: the latest successful deployment of the environment is tailed (wrangler's choice),
/// events are tagged with the project and deployment, the tail is deleted through the Pages route, and a project
/// that does not exist or has nothing deployed there is refused before any tail is created.
/// </summary>
public class StartCfTailPagesTests : CmdletTestBase
{
    private EmulatorApi Api => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorTails Tails => new(Emulator);

    private static string? Prop(PSObject o, string name) => o.Properties[name]?.Value?.ToString();

    private IEnumerable<CfManagement.Emulator.RecordedRequest> TailCalls(string method) =>
        Emulator.Requests.Where(r => r.Method == method && r.Path.Contains("/tails", StringComparison.Ordinal));

    /// <summary>Once <paramref name="targets"/> have a connected tail each, generates <paramref name="count"/> events for each.</summary>
    private Task GenerateWhenConnected(int count, params string[] targets) => Task.Run(async () =>
    {
        var watch = Stopwatch.StartNew();
        while (targets.Any(target => !Tails.All().Any(t => t.Target == target && t.Connected)))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) return;
            await Task.Delay(20);
        }
        foreach (var target in targets) await Tails.PostAsync("generate", new { target, count, kind = "fetch" });
    });

    [Fact]
    public async Task Tails_the_latest_production_deployment_tags_events_and_deletes_through_the_Pages_route()
    {
        Emulator.State.AddPagesProject("docs");
        await Api.DeployPagesAsync("docs");
        await Api.DeployPagesAsync("docs", "feature-x");
        await Task.Delay(20); // created_on orders them
        var latest = await Api.DeployPagesAsync("docs");
        await Api.DeployPagesAsync("docs", "feature-y");
        ConnectOrFail();

        var generating = GenerateWhenConnected(50, $"docs/{latest}");
        var result = Ps.Run("Start-CfTail -PagesProject docs -First 20 -Duration 00:00:30 -Verbose");
        await generating;
        result.AssertSucceeded("Start-CfTail -PagesProject", 20);
        Assert.Equal(20, result.Output.Count);
        var events = result.Output;
        Assert.All(events, e => Assert.Equal("docs", Prop(e, "PagesProject")));
        Assert.All(events, e => Assert.Equal(latest, Prop(e, "DeploymentId")));
        Assert.All(events, e => Assert.Equal("Request", Prop(e, "Kind")));
        Assert.Contains(result.Verbose, v => v.Message.Contains(latest, StringComparison.Ordinal) && v.Message.Contains("production", StringComparison.Ordinal));

        var create = Assert.Single(TailCalls("POST"));
        Assert.EndsWith($"/pages/projects/docs/deployments/{latest}/tails", create.Path);
        var delete = Assert.Single(TailCalls("DELETE"));
        Assert.Contains($"/accounts/{Emulator.State.AccountId}/pages/projects/docs/deployments/{latest}/tails/", delete.Path);
        Assert.Contains(Emulator.Requests, r => r.Method == "GET" && r.Path.EndsWith("/pages/projects/docs/deployments", StringComparison.Ordinal) && r.Query.Contains("env=production"));
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task Environment_preview_tails_the_latest_preview_and_Get_CfPagesProject_pipes_in()
    {
        Emulator.State.AddPagesProject("docs");
        Emulator.State.AddPagesProject("blog");
        Emulator.State.AddPagesProject("bare"); // production only: an error for it, the others are tailed
        await Api.DeployPagesAsync("bare");
        await Api.DeployPagesAsync("docs");
        await Task.Delay(20);
        var preview = await Api.DeployPagesAsync("docs", "feature-x");
        await Task.Delay(20);
        await Api.DeployPagesAsync("docs");
        var blog = await Api.DeployPagesAsync("blog", "draft");
        ConnectOrFail();

        var generating = GenerateWhenConnected(40, $"docs/{preview}", $"blog/{blog}");
        var result = Ps.Run("Get-CfPagesProject | Start-CfTail -Environment preview -Duration 00:00:30 | Select-Object -First 60");
        await generating;
        var error = result.SingleError();
        Assert.StartsWith("NoSuccessfulPagesDeployment,", error.FullyQualifiedErrorId);
        Assert.Equal("bare", error.TargetObject);
        Assert.Equal(60, result.Output.Count);
        var events = result.Output;
        Assert.Equal(["blog", "docs"], events.Select(e => Prop(e, "PagesProject")).Distinct().Order());
        Assert.All(events, e => Assert.Equal(Prop(e, "PagesProject") == "docs" ? preview : blog, Prop(e, "DeploymentId")));
        Assert.Equal(2, TailCalls("POST").Count());
        Assert.Equal(2, TailCalls("DELETE").Count());
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task Reconnect_and_renewal_go_through_the_Pages_routes()
    {
        Emulator.State.AddPagesProject("docs");
        var deployment = await Api.DeployPagesAsync("docs");
        var target = $"docs/{deployment}";
        ConnectOrFail();
        await Tails.PostAsync("settings", new { ttlSeconds = 3 }); // renewed about every 2 s

        var feeding = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            string? first = null;
            while (first == null && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                first = Tails.All().FirstOrDefault(t => t.Target == target && t.Connected)?.Id;
                await Task.Delay(20);
            }
            await Tails.PostAsync("drop", new { target });
            while (!Tails.All().Any(t => t.Target == target && t.Connected && t.Id != first) && watch.Elapsed < TimeSpan.FromSeconds(20))
                await Task.Delay(20);
            await Tails.PostAsync("generate", new { target, count = 20, kind = "fetch" });
        });
        var result = Ps.Run("Start-CfTail -PagesProject docs -Duration 00:00:07");
        await feeding;

        result.AssertNoErrors();
        Assert.Contains(result.Warnings, w => w.Message.Contains("reconnected", StringComparison.Ordinal));
        Assert.InRange(result.Output.Count, 1, 20);
        Assert.Equal(result.Output.Count, result.Output.Select(e => Prop(PSObject.AsPSObject(e.Properties["Request"].Value), "Url")).Distinct().Count());
        Assert.All(result.Output, e => Assert.Equal(deployment, Prop(e, "DeploymentId")));
        // The first tail, the one after the drop, and at least one renewal: all on the deployment's route, all deleted.
        Assert.True(TailCalls("POST").Count() >= 3, $"{TailCalls("POST").Count()} tails created");
        Assert.All(TailCalls("POST").Concat(TailCalls("DELETE")), r => Assert.Contains($"/pages/projects/docs/deployments/{deployment}/tails", r.Path));
        Assert.True(TailCalls("DELETE").Count() >= TailCalls("POST").Count() - 1, "every tail but the dropped one is deleted by the command");
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task An_unknown_project_is_PagesProjectNotFound_before_any_tail()
    {
        Emulator.State.AddPagesProject("docs");
        await Api.DeployPagesAsync("docs");
        ConnectOrFail();
        var error = Ps.Run("Start-CfTail -PagesProject nope -Duration 00:00:05").SingleError();
        Assert.StartsWith("PagesProjectNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("nope", error.ErrorDetails!.Message);
        Assert.Empty(TailCalls("POST"));
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task An_environment_with_no_successful_deployment_is_refused_before_any_tail()
    {
        Emulator.State.AddPagesProject("docs");
        Emulator.State.AddPagesProject("empty");
        await Api.DeployPagesAsync("docs");
        ConnectOrFail();
        foreach (var script in new[] { "Start-CfTail -PagesProject docs -Environment preview -Duration 00:00:05", "Start-CfTail -PagesProject empty -Duration 00:00:05" })
        {
            var error = Ps.Run(script).SingleError();
            Assert.StartsWith("NoSuccessfulPagesDeployment,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        }
        Assert.Empty(TailCalls("POST"));
        Assert.Empty(Tails.All());
    }
}
