using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// One immutable version of a Worker: its code (modules and the entry point), bindings (secret text included, never
/// returned), compatibility and runtime settings, and annotations. New versions are copies made with <c>with</c>
/// (a secret change copies everything but the bindings). Guarded by the state's gate like its script.
/// </summary>
internal sealed record WorkerVersion
{
    public required string Id { get; init; }
    public required int Number { get; init; }
    public required DateTimeOffset CreatedOn { get; init; }
    /// <summary>Where it came from: "wrangler" when wrangler sent it, else "api" (the metadata.source of the real API).</summary>
    public required string Source { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorId { get; init; }

    public required IReadOnlyList<WorkerModule> Modules { get; init; }
    /// <summary>The main module (module Worker) or the body part (service worker).</summary>
    public required string MainModule { get; init; }
    public required bool HasModules { get; init; }
    public required IReadOnlyList<string> Handlers { get; init; }
    /// <summary>What the main module exports (<see cref="WorkerExports"/>).</summary>
    public required IReadOnlyList<string> Exports { get; init; }

    /// <summary>Validated bindings as received (secret_text with its text); never returned as is, see <see cref="WorkerJson"/>.</summary>
    public required IReadOnlyList<JsonObject> Bindings { get; init; }
    public string? CompatibilityDate { get; init; }
    public IReadOnlyList<string> CompatibilityFlags { get; init; } = [];
    public string UsageModel { get; init; } = "standard";
    public JsonObject? Limits { get; init; }
    public JsonObject? Placement { get; init; }
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
    /// <summary>64 hex characters, new for every version.</summary>
    public string Etag { get; init; } = Ids.NewHexId() + Ids.NewHexId();

    /// <summary>secret_text bindings, name → text, ordinal order.</summary>
    public SortedDictionary<string, string> Secrets =>
        new(Bindings.Where(b => WorkerBindings.TypeOf(b) == WorkerBindings.SecretText)
                .ToDictionary(b => WorkerBindings.NameOf(b), b => b["text"]!.GetValue<string>()), StringComparer.Ordinal);

    /// <summary>The total size of the code, for the upload size limit and startup time.</summary>
    public long CodeBytes => Modules.Sum(m => (long)m.Content.Length);
}
