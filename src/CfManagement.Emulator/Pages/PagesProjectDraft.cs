using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Pages;

/// <summary>A validated create or PATCH body: only what it names is set (null members were absent).</summary>
internal sealed record PagesProjectDraft(
    string? Name,
    string? ProductionBranch,
    bool HasSource,
    JsonObject? Source,
    JsonObject? BuildConfig,
    IReadOnlyDictionary<string, PagesEnvironmentDraft> Environments);

/// <summary>One deployment config of a body: settings to merge and variables to change (null deletes).</summary>
internal sealed record PagesEnvironmentDraft(JsonObject Settings, IReadOnlyDictionary<string, PagesEnvVar?> EnvVars);
