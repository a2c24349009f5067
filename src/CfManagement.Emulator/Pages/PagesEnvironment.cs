using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Pages;

/// <summary>
/// One of a project's two deployment configs (production, preview): its environment variables, by name in
/// ordinal order, and every other setting (compatibility_date, bindings, wrangler_config_hash, ...) kept as sent.
/// Guarded by the state's gate.
/// </summary>
internal sealed class PagesEnvironment
{
    public const string Production = "production";
    public const string Preview = "preview";
    public static readonly IReadOnlyList<string> Names = [Production, Preview];

    private readonly SortedDictionary<string, PagesEnvVar> _envVars = new(StringComparer.Ordinal);

    /// <summary>Settings other than env_vars, as the last create or PATCH left them.</summary>
    public JsonObject Settings { get; } = new();

    public IReadOnlyDictionary<string, PagesEnvVar> EnvVars => _envVars;

    /// <summary>A variable per name: a value adds or replaces it, null deletes it (absent: no-op).</summary>
    public void ApplyEnvVars(IReadOnlyDictionary<string, PagesEnvVar?> changes)
    {
        foreach (var (name, variable) in changes)
        {
            if (variable is null)
                _envVars.Remove(name);
            else
                _envVars[name] = variable;
        }
    }

    /// <summary>Settings merge one level deep: a key replaces the old value, null removes it.</summary>
    public void ApplySettings(JsonObject settings)
    {
        foreach (var (key, value) in settings)
        {
            if (value is null)
                Settings.Remove(key);
            else
                Settings[key] = value.DeepClone();
        }
    }
}
