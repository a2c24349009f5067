using System.Text.Json;
using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A change to the non-versioned settings (/script-settings, and the same fields of an upload's metadata or a
/// /settings PATCH): logpush (boolean), tail_consumers (array of {service, environment?, namespace?}, null clears),
/// observability (an object; "enabled", when given, a boolean: wrangler sends a config's [observability.logs] alone), tags (array of strings). Absent fields stay as they are.
/// Invalid values are 400 10021.
/// </summary>
internal sealed record WorkerScriptSettings(bool? Logpush, JsonArray? TailConsumers, JsonObject? Observability, List<string>? Tags)
{
    public static WorkerScriptSettings Parse(JsonObject body)
    {
        bool? logpush = body["logpush"] switch
        {
            null => null,
            var n when n.GetValueKind() is JsonValueKind.True or JsonValueKind.False => n.GetValue<bool>(),
            _ => throw WorkerSecretParser.Invalid("logpush must be a boolean"),
        };

        JsonArray? tailConsumers = null;
        if (body.TryGetPropertyValue("tail_consumers", out var tails))
        {
            tailConsumers = tails switch
            {
                null => [],
                JsonArray array => (JsonArray)array.DeepClone(),
                _ => throw WorkerSecretParser.Invalid("tail_consumers must be an array"),
            };
            foreach (var consumer in tailConsumers)
            {
                if (consumer is not JsonObject obj || obj["service"]?.GetValueKind() != JsonValueKind.String)
                    throw WorkerSecretParser.Invalid("tail_consumers entries must be objects with a service name");
            }
        }

        JsonObject? observability = body["observability"] switch
        {
            null => null,
            JsonObject obj when obj["enabled"]?.GetValueKind() is null or JsonValueKind.True or JsonValueKind.False => (JsonObject)obj.DeepClone(),
            _ => throw WorkerSecretParser.Invalid("observability must be an object whose enabled, when given, is a boolean"),
        };

        List<string>? tags = body["tags"] switch
        {
            null => null,
            JsonArray array when array.All(t => t?.GetValueKind() == JsonValueKind.String) => array.Select(t => t!.GetValue<string>()).ToList(),
            _ => throw WorkerSecretParser.Invalid("tags must be an array of strings"),
        };
        return new WorkerScriptSettings(logpush, tailConsumers, observability, tags);
    }
}
