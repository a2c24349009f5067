using System.Text.Json.Nodes;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// The JSON shapes of the Workers platform. Secret text and key material never leave through here: bindings go
/// through <see cref="WorkerBindings.ForRead"/>.
/// </summary>
internal static class WorkerJson
{
    /// <summary>The script object of the list, an upload's result (plus startup_time_ms) and services/{name}.</summary>
    public static JsonObject Script(WorkerScript script)
    {
        var serving = script.ServingVersion;
        var json = new JsonObject
        {
            ["id"] = script.Name,
            ["tag"] = script.Tag,
            ["etag"] = script.Etag,
            ["handlers"] = Strings(serving?.Handlers ?? []),
            ["created_on"] = TokenJson.Time(script.CreatedOn),
            ["modified_on"] = TokenJson.Time(script.ModifiedOn),
            ["usage_model"] = serving?.UsageModel ?? "standard",
            ["logpush"] = script.Logpush,
            ["tail_consumers"] = script.TailConsumers.DeepClone(),
            ["tags"] = Strings(script.Tags),
            ["compatibility_date"] = serving?.CompatibilityDate,
            ["compatibility_flags"] = Strings(serving?.CompatibilityFlags ?? []),
            ["has_assets"] = false,
            ["has_modules"] = serving?.HasModules ?? false,
            ["last_deployed_from"] = serving?.Source,
            ["observability"] = script.Observability?.DeepClone(),
        };
        if (serving?.Placement?["mode"] is { } mode)
            json["placement_mode"] = mode.DeepClone();
        return json;
    }

    /// <summary>An upload's result: the script object plus startup_time_ms.</summary>
    public static JsonObject UploadResult(WorkerScript script, WorkerVersion version)
    {
        var json = Script(script);
        json["startup_time_ms"] = StartupTimeMs(version);
        return json;
    }

    /// <summary>A nominal startup time: 1 ms per started 100 KB of code (the real API measures it).</summary>
    public static long StartupTimeMs(WorkerVersion version) => 1 + version.CodeBytes / 100_000;

    /// <summary>A version in the list: {id, number, metadata, annotations}; <paramref name="detail"/> adds resources.</summary>
    public static JsonObject Version(WorkerVersion version, bool detail)
    {
        var json = new JsonObject
        {
            ["id"] = version.Id,
            ["number"] = version.Number,
            ["metadata"] = new JsonObject
            {
                ["author_email"] = version.AuthorEmail,
                ["author_id"] = version.AuthorId,
                ["created_on"] = TokenJson.Time(version.CreatedOn),
                ["modified_on"] = TokenJson.Time(version.CreatedOn),
                ["source"] = version.Source,
                ["hasPreview"] = false,
                ["has_preview"] = false,
            },
            ["annotations"] = WorkerAnnotations.ToJson(version.Annotations),
        };
        if (!detail)
            return json;
        json["resources"] = new JsonObject
        {
            ["bindings"] = Bindings(version),
            ["script"] = new JsonObject
            {
                ["etag"] = version.Etag,
                ["handlers"] = Strings(version.Handlers),
                ["last_deployed_from"] = version.Source,
            },
            ["script_runtime"] = new JsonObject
            {
                ["compatibility_date"] = version.CompatibilityDate,
                ["compatibility_flags"] = Strings(version.CompatibilityFlags),
                ["usage_model"] = version.UsageModel,
                ["limits"] = version.Limits?.DeepClone() ?? new JsonObject(),
            },
        };
        return json;
    }

    public static JsonObject Deployment(WorkerDeployment deployment) => new()
    {
        ["id"] = deployment.Id,
        ["created_on"] = TokenJson.Time(deployment.CreatedOn),
        ["source"] = deployment.Source,
        ["strategy"] = WorkerDeployment.Strategy,
        ["versions"] = new JsonArray(deployment.Versions
            .Select(v => (JsonNode?)new JsonObject { ["version_id"] = v.VersionId, ["percentage"] = v.Percentage }).ToArray()),
        ["annotations"] = WorkerAnnotations.ToJson(deployment.Annotations),
        ["author_email"] = deployment.AuthorEmail,
    };

    /// <summary>GET/PATCH /settings: the latest version's settings and the script-level ones.</summary>
    public static JsonObject Settings(WorkerScript script, WorkerVersion version)
    {
        var json = new JsonObject
        {
            ["bindings"] = Bindings(version),
            ["compatibility_date"] = version.CompatibilityDate,
            ["compatibility_flags"] = Strings(version.CompatibilityFlags),
            ["limits"] = version.Limits?.DeepClone() ?? new JsonObject(),
            ["placement"] = version.Placement?.DeepClone() ?? new JsonObject(),
            ["usage_model"] = version.UsageModel,
            ["annotations"] = WorkerAnnotations.ToJson(version.Annotations),
        };
        foreach (var (key, value) in ScriptSettings(script))
            json[key] = value?.DeepClone();
        return json;
    }

    /// <summary>GET/PATCH /script-settings: {logpush, tail_consumers, observability, tags}.</summary>
    public static JsonObject ScriptSettings(WorkerScript script) => new()
    {
        ["logpush"] = script.Logpush,
        ["tail_consumers"] = script.TailConsumers.DeepClone(),
        ["observability"] = script.Observability?.DeepClone(),
        ["tags"] = Strings(script.Tags),
    };

    /// <summary>GET /workers/services/{name}, the shape wrangler reads.</summary>
    public static JsonObject Service(WorkerScript script) => new()
    {
        ["id"] = script.Name,
        ["created_on"] = TokenJson.Time(script.CreatedOn),
        ["modified_on"] = TokenJson.Time(script.ModifiedOn),
        ["default_environment"] = new JsonObject
        {
            ["environment"] = "production",
            ["created_on"] = TokenJson.Time(script.CreatedOn),
            ["modified_on"] = TokenJson.Time(script.ModifiedOn),
            ["script"] = Script(script).Also(s => s["migration_tag"] = null),
        },
    };

    public static JsonArray Bindings(WorkerVersion version) =>
        new(version.Bindings.Select(b => (JsonNode?)WorkerBindings.ForRead(b)).ToArray());

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static JsonObject Also(this JsonObject json, Action<JsonObject> change)
    {
        change(json);
        return json;
    }
}
