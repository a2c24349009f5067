using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Pages;

/// <summary>
/// One Pages project: name, production branch, git source (null for direct upload), build config, the two
/// deployment configs and its deployments (newest last). Guarded by the state's gate.
/// </summary>
internal sealed class PagesProject(string name, string productionBranch, DateTimeOffset createdOn)
{
    private readonly List<PagesDeployment> _deployments = new();

    public string Id { get; } = Guid.NewGuid().ToString();
    public string Name { get; } = name;
    public string ProductionBranch { get; set; } = productionBranch;
    public DateTimeOffset CreatedOn { get; } = createdOn;
    /// <summary>{type, config{...}} as sent (validated), or null for a direct-upload project.</summary>
    public JsonObject? Source { get; set; }
    public JsonObject BuildConfig { get; } = new();
    public PagesEnvironment Production { get; } = new();
    public PagesEnvironment Preview { get; } = new();
    public IReadOnlyList<PagesDeployment> Deployments => _deployments;

    public string Subdomain => Name + ".pages.dev";

    public PagesEnvironment Environment(string name) => name == PagesEnvironment.Production ? Production : Preview;

    public PagesDeployment Deploy(string? branch, DateTimeOffset now)
    {
        branch ??= ProductionBranch;
        var environment = branch == ProductionBranch ? PagesEnvironment.Production : PagesEnvironment.Preview;
        var deployment = new PagesDeployment(Guid.NewGuid().ToString(), environment, branch, now);
        _deployments.Add(deployment);
        return deployment;
    }
}
