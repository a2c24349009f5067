using CfManagement.Api;
using CfManagement.Model;
using CfManagement.Tail;
using CfManagement.Tests.Workers;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>
/// Tails of a Pages deployment: the deployment wrangler's pages deployment tail picks, and the Pages create/delete
/// routes the tails API uses for a <see cref="TailTarget"/> of a deployment.
/// </summary>
public class PagesTailTargetTests
{
    private const string Account = "023e105f4ecef8ad9ca31a8372d0c353";

    private static CfPagesDeployment Deployment(string id, string environment, int minute, string stage = "deploy", string status = "success") =>
        new(id, id[..2], "docs", environment, $"https://{id}.docs.pages.dev", new DateTimeOffset(2026, 1, 1, 0, minute, 0, TimeSpan.Zero), stage, status);

    [Fact]
    public void The_newest_deployed_one_of_the_environment_is_chosen()
    {
        var deployments = new[]
        {
            Deployment("failed-newest", "production", 50, "build", "failure"),
            Deployment("deploy-failed", "production", 45, "deploy", "failure"),
            Deployment("building", "production", 40, "build", "active"),
            Deployment("preview-newer", "preview", 30),
            Deployment("live", "production", 20),
            Deployment("older", "production", 10),
        };
        Assert.Equal("live", CfPagesDeployment.LatestSuccessful(deployments, "production")!.Id);
        Assert.Equal("preview-newer", CfPagesDeployment.LatestSuccessful(deployments, "preview")!.Id);
        // Order of the list does not matter: created_on decides.
        Assert.Equal("live", CfPagesDeployment.LatestSuccessful(deployments.Reverse(), "production")!.Id);
        Assert.Null(CfPagesDeployment.LatestSuccessful(deployments.Where(d => d.Id != "live" && d.Id != "older"), "production"));
    }

    [Fact]
    public async Task Deployments_are_read_per_environment_and_a_page_without_one_deployed_gives_null()
    {
        var wire = new RecordingWire()
            .Result("""[{"id":"d1","short_id":"d1","environment":"preview","url":"https://d1.docs.pages.dev","created_on":"2026-01-01T00:00:00Z","latest_stage":{"name":"build","status":"failure"}}]""")
            .Result("""[{"id":"d2","short_id":"d2","environment":"production","url":"https://d2.docs.pages.dev","created_on":"2026-01-01T00:00:00Z","latest_stage":{"name":"deploy","status":"success"}}]""");
        var api = new PagesApi(wire.Client());
        Assert.Null(await api.LatestSuccessfulDeploymentAsync(Account, "docs", "preview", CancellationToken.None));
        var live = await api.LatestSuccessfulDeploymentAsync(Account, "docs", "production", CancellationToken.None);
        Assert.Equal(("d2", "production", "deploy", "success"), (live!.Id, live.Environment, live.LatestStage, live.LatestStageStatus));
        Assert.Equal("GET", wire.Sent[0].Method);
        Assert.StartsWith($"/client/v4/accounts/{Account}/pages/projects/docs/deployments?", wire.Sent[0].PathAndQuery);
        Assert.Contains("env=preview", wire.Sent[0].PathAndQuery);
        Assert.Contains("env=production", wire.Sent[1].PathAndQuery);
    }

    [Fact]
    public async Task A_Pages_tail_is_created_and_deleted_on_the_deployment_route()
    {
        var wire = new RecordingWire().Result("""{"id":"t1","url":"wss://tail.example/t1","expires_at":"2026-01-01T01:00:00Z"}""").Result("null");
        var api = new TailsApi(wire.Client());
        var target = TailTarget.ForPagesDeployment("docs", "dep-1", "production");
        var tail = await api.CreateAsync(Account, target, new TailFilters { Method = ["GET"] }, CancellationToken.None);
        Assert.Equal(("POST", $"/client/v4/accounts/{Account}/pages/projects/docs/deployments/dep-1/tails"), (wire.Sent[0].Method, wire.Sent[0].PathAndQuery));
        Assert.Equal("""{"filters":[{"method":["GET"]}]}""", wire.Sent[0].Body);
        Assert.Equal(("docs", "dep-1", "t1"), (tail.PagesProject, tail.DeploymentId, tail.Id));
        Assert.Equal(target, TailTarget.Of(tail));

        await api.DeleteAsync(Account, TailTarget.Of(tail), tail.Id, CancellationToken.None);
        Assert.Equal(("DELETE", $"/client/v4/accounts/{Account}/pages/projects/docs/deployments/dep-1/tails/t1"), (wire.Sent[1].Method, wire.Sent[1].PathAndQuery));
    }

    [Fact]
    public void Targets_are_equal_by_what_they_tail()
    {
        Assert.Equal(TailTarget.ForScript("api"), TailTarget.ForScript("api"));
        Assert.NotEqual(TailTarget.ForScript("docs"), TailTarget.ForPagesDeployment("docs", "d"));
        Assert.Equal(TailTarget.ForPagesDeployment("docs", "d", "preview"), TailTarget.ForPagesDeployment("docs", "d"));
        Assert.NotEqual(TailTarget.ForPagesDeployment("docs", "d1"), TailTarget.ForPagesDeployment("docs", "d2"));
        Assert.Equal("docs", TailTarget.ForPagesDeployment("docs", "d").Name);
        Assert.Equal(TailTarget.ForScript("api"), TailTarget.Of(new CfTail("api", "t", null, null)));
    }
}
