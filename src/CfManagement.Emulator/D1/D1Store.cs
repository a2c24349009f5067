namespace CfManagement.Emulator.D1;

/// <summary>The account's D1 databases, by uuid. Guarded by the state's gate.</summary>
internal sealed class D1Store
{
    private readonly Dictionary<string, D1Database> _databases = new();

    public IReadOnlyList<D1Database> All => _databases.Values.OrderBy(d => d.CreatedAt).ThenBy(d => d.Name).ToList();

    public D1Database? Find(string uuid) => _databases.GetValueOrDefault(uuid);

    public bool NameTaken(string name) => _databases.Values.Any(d => d.Name == name);

    public D1Database Create(string name, DateTimeOffset now)
    {
        var database = new D1Database(Guid.NewGuid().ToString(), name, now);
        _databases.Add(database.Uuid, database);
        return database;
    }

    public void Delete(D1Database database)
    {
        _databases.Remove(database.Uuid);
        database.Dispose();
    }

    public void Clear()
    {
        foreach (var database in _databases.Values)
            database.Dispose();
        _databases.Clear();
    }
}
