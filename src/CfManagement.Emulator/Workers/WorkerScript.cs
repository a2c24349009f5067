namespace CfManagement.Emulator.Workers;

/// <summary>
/// One Worker script and its secret bindings (name → text). Guarded by the state's gate. Every secret
/// change bumps <see cref="ModifiedOn"/> and <see cref="Etag"/>, as a new deployment would.
/// </summary>
internal sealed class WorkerScript(string name, DateTimeOffset createdOn)
{
    private readonly SortedDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public DateTimeOffset CreatedOn { get; } = createdOn;
    public DateTimeOffset ModifiedOn { get; private set; } = createdOn;
    public string Etag { get; private set; } = NewEtag();

    /// <summary>Secret names, ordinal order.</summary>
    public IReadOnlyList<string> SecretNames => _secrets.Keys.ToList();

    public bool HasSecret(string secretName) => _secrets.ContainsKey(secretName);

    public string? SecretText(string secretName) => _secrets.GetValueOrDefault(secretName);

    /// <summary>Applies every change at once: a text adds or replaces the secret, null deletes it (absent: no-op).</summary>
    public void Apply(IReadOnlyDictionary<string, string?> changes, DateTimeOffset now)
    {
        foreach (var (secretName, text) in changes)
        {
            if (text is null)
                _secrets.Remove(secretName);
            else
                _secrets[secretName] = text;
        }
        ModifiedOn = now;
        Etag = NewEtag();
    }

    // 64 hex characters, the shape of Cloudflare's script etags.
    private static string NewEtag() => Ids.NewHexId() + Ids.NewHexId();
}
