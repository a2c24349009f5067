namespace CfManagement.Emulator.SecretsStore;

/// <summary>
/// The account's Secrets Store: its stores (the open beta allows <see cref="MaxStores"/> per account; the first is
/// created automatically, so the seed has one named <see cref="DefaultStoreName"/>, the name wrangler uses) and at most
/// <see cref="SecretQuota"/> secrets across them. Guarded by the state's gate.
/// </summary>
internal sealed class SecretsStoreRegistry
{
    public const int MaxStores = 1;
    public const int SecretQuota = 100;
    public const string DefaultStoreName = "default_secrets_store";

    private readonly List<StoreRecord> _stores = new();

    public IReadOnlyList<StoreRecord> Stores => _stores.ToList();

    public int SecretCount => _stores.Sum(s => s.Secrets.Count);

    public StoreRecord? Find(string id) => _stores.FirstOrDefault(s => s.Id == id);

    public StoreRecord? FindByName(string name) => _stores.FirstOrDefault(s => s.Name == name);

    public StoreRecord Add(string name, DateTimeOffset now)
    {
        var store = new StoreRecord(Ids.NewHexId(), name, now);
        _stores.Add(store);
        return store;
    }

    public void Remove(StoreRecord store) => _stores.Remove(store);

    public void Clear() => _stores.Clear();
}
