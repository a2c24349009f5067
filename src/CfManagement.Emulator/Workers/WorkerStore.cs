using System.Text;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// The account's Worker scripts, in creation order, and the secrets-bulk batch limit (from
/// <see cref="EmulatorOptions.WorkerSecretsBulkLimit"/>; the admin endpoint changes it until the next reset).
/// Guarded by the state's gate.
/// </summary>
internal sealed class WorkerStore(int secretsBulkLimit)
{
    private readonly List<WorkerScript> _scripts = new();

    public IReadOnlyList<WorkerScript> All => _scripts.ToList();

    public int SecretsBulkLimit { get; set; } = secretsBulkLimit;

    public WorkerScript? Find(string name) => _scripts.FirstOrDefault(s => s.Name == name);

    /// <summary>Adds a script built (and given its first version) elsewhere, e.g. by a first upload.</summary>
    public void Insert(WorkerScript script)
    {
        if (Find(script.Name) is not null)
            throw new InvalidOperationException($"Worker script {script.Name} already exists.");
        _scripts.Add(script);
    }

    /// <summary>
    /// A seeded script: one module Worker version (index.js with a fetch handler, no bindings) deployed at 100%,
    /// as if uploaded through the API.
    /// </summary>
    public WorkerScript Add(string name, DateTimeOffset now)
    {
        var script = new WorkerScript(name, now);
        var module = new WorkerModule("index.js", "application/javascript+module",
            Encoding.UTF8.GetBytes($"export default {{\n  async fetch(request) {{\n    return new Response(\"{name}\");\n  }},\n}};\n"));
        var author = new WorkerAuthor("api", null, null, now);
        script.Publish(new WorkerVersion
        {
            Id = Guid.NewGuid().ToString(),
            Number = 1,
            CreatedOn = now,
            Source = author.Source,
            Modules = [module],
            MainModule = module.Name,
            HasModules = true,
            Handlers = WorkerHandlers.Find(module, hasModules: true),
            Exports = WorkerExports.Find(module, hasModules: true),
            Bindings = [],
            CompatibilityDate = "2024-09-23",
            Annotations = new Dictionary<string, string> { [WorkerAnnotations.TriggeredBy] = "upload" },
        }, author);
        Insert(script);
        return script;
    }

    /// <summary>A copy of the script's latest version as its next version ("workers/triggered_by": "upload"), deployed at 100% or not.</summary>
    public WorkerVersion AddCopyOfLatest(WorkerScript script, bool deploy, DateTimeOffset now)
    {
        var latest = script.Latest ?? throw new InvalidOperationException($"Worker script {script.Name} has no versions.");
        var author = new WorkerAuthor("api", null, null, now);
        var version = WorkerVersionBuilder.WithBindings(latest, script, latest.Bindings,
            new Dictionary<string, string> { [WorkerAnnotations.TriggeredBy] = "upload" }, author);
        if (deploy)
            script.Publish(version, author);
        else
            script.AddVersion(version);
        return version;
    }

    public bool Remove(WorkerScript script) => _scripts.Remove(script);

    public void Clear(int secretsBulkLimit)
    {
        _scripts.Clear();
        SecretsBulkLimit = secretsBulkLimit;
    }
}
