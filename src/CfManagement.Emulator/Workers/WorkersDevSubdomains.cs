namespace CfManagement.Emulator.Workers;

/// <summary>
/// The account's workers.dev subdomain and, per script, whether it is served there and whether versions get
/// preview URLs. Kept apart from <see cref="WorkerScript"/> because neither is versioned: `wrangler deploy` sets them
/// after the upload. Guarded by the state's gate.
/// </summary>
internal sealed class WorkersDevSubdomains
{
    private readonly Dictionary<string, (bool Enabled, bool PreviewsEnabled)> _scripts = new(StringComparer.Ordinal);

    /// <summary>The account's subdomain (NAME.workers.dev); null until registered.</summary>
    public string? AccountSubdomain { get; set; }

    /// <summary>A script's flags; both false until set.</summary>
    public (bool Enabled, bool PreviewsEnabled) For(string script) => _scripts.GetValueOrDefault(script);

    public void Set(string script, bool enabled, bool previewsEnabled) => _scripts[script] = (enabled, previewsEnabled);

    public void Clear(string? accountSubdomain)
    {
        _scripts.Clear();
        AccountSubdomain = accountSubdomain;
    }
}
