using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A parsed and validated upload (script PUT or version POST): the code, the metadata's versioned fields and the
/// non-versioned settings it carries. Bindings may still hold "inherit" entries; <see cref="WorkerVersionBuilder"/>
/// resolves them against the script's versions.
/// </summary>
internal sealed record WorkerUpload(
    IReadOnlyList<WorkerModule> Modules,
    string MainModule,
    bool HasModules,
    IReadOnlyList<JsonObject> Bindings,
    IReadOnlySet<string> KeepBindings,
    string? CompatibilityDate,
    IReadOnlyList<string> CompatibilityFlags,
    string? UsageModel,
    JsonObject? Limits,
    JsonObject? Placement,
    JsonNode? AnnotationsJson,
    WorkerScriptSettings Settings);
