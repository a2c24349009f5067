using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// One Worker: its versions (oldest first, numbered from 1), its deployments (oldest first; the newest serves
/// traffic) and its non-versioned settings (logpush, tail consumers, observability, tags). Its secrets are the
/// secret_text bindings of the latest version. Guarded by the state's gate.
/// </summary>
internal sealed class WorkerScript(string name, DateTimeOffset createdOn)
{
    private readonly List<WorkerVersion> _versions = new();
    private readonly List<WorkerDeployment> _deployments = new();

    public string Name { get; } = name;
    /// <summary>The script's immutable tag (32 hex), as services/{name} and the list report it.</summary>
    public string Tag { get; } = Ids.NewHexId();
    public DateTimeOffset CreatedOn { get; } = createdOn;
    public DateTimeOffset ModifiedOn { get; private set; } = createdOn;

    public bool Logpush { get; set; }
    public JsonArray TailConsumers { get; set; } = [];
    public JsonObject? Observability { get; set; }
    public List<string> Tags { get; set; } = [];

    /// <summary>The number of the newest version whose secrets differ from its predecessor's (0: none yet).</summary>
    public int LastSecretChangeNumber { get; private set; }

    public IReadOnlyList<WorkerVersion> Versions => _versions;
    public IReadOnlyList<WorkerDeployment> Deployments => _deployments;
    public WorkerVersion? Latest => _versions.LastOrDefault();
    public WorkerDeployment? CurrentDeployment => _deployments.LastOrDefault();
    public int NextVersionNumber => _versions.Count == 0 ? 1 : _versions[^1].Number + 1;

    /// <summary>The version serving the most traffic (the latest when nothing is deployed).</summary>
    public WorkerVersion? ServingVersion =>
        CurrentDeployment?.Versions.OrderByDescending(v => v.Percentage).Select(v => FindVersion(v.VersionId)).FirstOrDefault() ?? Latest;

    /// <summary>The script etag: the serving version's.</summary>
    public string Etag => ServingVersion?.Etag ?? "";

    /// <summary>Whether the latest version alone serves all traffic (what secret edits and /settings need).</summary>
    public bool LatestIsFullyDeployed =>
        Latest is { } latest && CurrentDeployment is { Versions: [var only] } && only.VersionId == latest.Id;

    /// <summary>Whether the latest version serves some but not all traffic (a gradual deployment).</summary>
    public bool LatestIsPartlyDeployed =>
        Latest is { } latest && CurrentDeployment is { Versions.Count: > 1 } deployment && deployment.Versions.Any(v => v.VersionId == latest.Id);

    public IReadOnlyList<string> SecretNames => Latest?.Secrets.Keys.ToList() ?? [];

    public bool HasSecret(string secretName) => Latest?.Secrets.ContainsKey(secretName) == true;

    public string? SecretText(string secretName) => Latest?.Secrets.GetValueOrDefault(secretName);

    public WorkerVersion? FindVersion(string id) => _versions.FirstOrDefault(v => v.Id == id);

    public void AddVersion(WorkerVersion version)
    {
        if (Latest is { } previous && !SameSecrets(previous.Secrets, version.Secrets))
            LastSecretChangeNumber = version.Number;
        _versions.Add(version);
        ModifiedOn = version.CreatedOn;
    }

    public WorkerDeployment Deploy(IReadOnlyList<WorkerDeploymentSplit> versions, IReadOnlyDictionary<string, string> annotations, WorkerAuthor author)
    {
        var deployment = new WorkerDeployment(Guid.NewGuid().ToString(), author.Now, author.Source, author.Email, versions, annotations);
        _deployments.Add(deployment);
        ModifiedOn = author.Now;
        return deployment;
    }

    /// <summary>Adds the version and deploys it at 100% (script uploads, secret edits, /settings).</summary>
    public WorkerDeployment Publish(WorkerVersion version, WorkerAuthor author)
    {
        AddVersion(version);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (version.Annotations.TryGetValue(WorkerAnnotations.TriggeredBy, out var trigger))
            annotations[WorkerAnnotations.TriggeredBy] = trigger;
        return Deploy([new WorkerDeploymentSplit(version.Id, 100)], annotations, author);
    }

    /// <summary>Secret names whose presence or text differ between two versions.</summary>
    public static IReadOnlyList<string> ChangedSecrets(WorkerVersion a, WorkerVersion b)
    {
        var (left, right) = (a.Secrets, b.Secrets);
        return left.Keys.Union(right.Keys).Where(n => left.GetValueOrDefault(n) != right.GetValueOrDefault(n))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static bool SameSecrets(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var text) && text == p.Value);
}
