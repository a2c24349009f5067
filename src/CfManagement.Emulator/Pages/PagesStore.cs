namespace CfManagement.Emulator.Pages;

/// <summary>The account's Pages projects, in creation order. Guarded by the state's gate.</summary>
internal sealed class PagesStore
{
    private readonly List<PagesProject> _projects = new();

    public IReadOnlyList<PagesProject> All => _projects.ToList();

    public PagesProject? Find(string name) => _projects.FirstOrDefault(p => p.Name == name);

    public PagesProject Add(string name, string productionBranch, DateTimeOffset now)
    {
        if (Find(name) is not null)
            throw new InvalidOperationException($"Pages project {name} already exists.");
        var project = new PagesProject(name, productionBranch, now);
        _projects.Add(project);
        return project;
    }

    public void Remove(PagesProject project) => _projects.Remove(project);

    public void Clear() => _projects.Clear();
}
