namespace CfManagement.Emulator.Workers;

/// <summary>How much traffic one version of a deployment serves (0.01-100 percent).</summary>
internal sealed record WorkerDeploymentSplit(string VersionId, double Percentage);

/// <summary>
/// One deployment: one or two versions whose percentages sum to 100. The newest deployment of a script is the one
/// serving traffic. Immutable.
/// </summary>
internal sealed record WorkerDeployment(string Id, DateTimeOffset CreatedOn, string Source, string? AuthorEmail,
    IReadOnlyList<WorkerDeploymentSplit> Versions, IReadOnlyDictionary<string, string> Annotations)
{
    public const string Strategy = "percentage";
}
