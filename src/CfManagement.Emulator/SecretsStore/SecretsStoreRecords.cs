namespace CfManagement.Emulator.SecretsStore;

/// <summary>One store of the account's Secrets Store: a named container of secrets. Guarded by the state's gate.</summary>
internal sealed class StoreRecord(string id, string name, DateTimeOffset createdOn)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public DateTimeOffset Created { get; } = createdOn;
    public DateTimeOffset Modified { get; set; } = createdOn;

    /// <summary>The store's secrets, in creation order.</summary>
    public List<SecretRecord> Secrets { get; } = new();

    public SecretRecord? FindSecret(string id) => Secrets.FirstOrDefault(s => s.Id == id);
    public SecretRecord? FindSecretByName(string name) => Secrets.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// One secret: metadata plus the value, which the API never returns (only the services bound to it read it).
/// <see cref="ToString"/> names it without the value.
/// </summary>
internal sealed class SecretRecord(string id, string storeId, string name, string value, IReadOnlyList<string> scopes, string? comment, DateTimeOffset createdOn)
{
    public string Id { get; } = id;
    public string StoreId { get; } = storeId;
    public string Name { get; } = name;
    public string Value { get; set; } = value;
    public IReadOnlyList<string> Scopes { get; set; } = scopes;
    public string? Comment { get; set; } = comment;
    public DateTimeOffset Created { get; } = createdOn;
    public DateTimeOffset Modified { get; set; } = createdOn;
    /// <summary>pending | active | deleted; writes are applied at once here, so always active.</summary>
    public string Status => "active";

    public override string ToString() => $"secret {Name} ({Id}) of store {StoreId}";
}
