namespace CfManagement.Emulator.Workers;

/// <summary>The account's Worker scripts, in creation order. Guarded by the state's gate.</summary>
internal sealed class WorkerStore
{
    private readonly List<WorkerScript> _scripts = new();

    public IReadOnlyList<WorkerScript> All => _scripts.ToList();

    public WorkerScript? Find(string name) => _scripts.FirstOrDefault(s => s.Name == name);

    public WorkerScript Add(string name, DateTimeOffset now)
    {
        if (Find(name) is not null)
            throw new InvalidOperationException($"Worker script {name} already exists.");
        var script = new WorkerScript(name, now);
        _scripts.Add(script);
        return script;
    }

    public void Clear() => _scripts.Clear();
}
