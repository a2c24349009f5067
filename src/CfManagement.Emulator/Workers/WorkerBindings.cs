using System.Text.Json;
using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Validates <c>metadata.bindings[]</c> (and /settings bindings, merge-patch env entries). Every binding needs a
/// <c>name</c> (a valid binding name, unique in the list) and a <c>type</c>; the kinds cf-trimmed.json and API-FACTS
/// describe need their fields: plain_text {text}, json {json}, secret_text {text}, kv_namespace {namespace_id},
/// d1 {database_id or id}, r2_bucket {bucket_name}, service {service}, durable_object_namespace {class_name or
/// namespace_id}, secrets_store_secret {store_id, secret_name}, queue {queue_name}, analytics_engine {dataset?: a string when given; wrangler omits it},
/// secret_key {algorithm (object or string), format, usages[], key_base64 or key_jwk}, inherit {old_name?, version_id?}. Other kinds
/// (ai, hyperdrive, vectorize, ...) are accepted with name and type, as the spec's "other" binding is. Every failure is
/// 400 10021 whose message names the binding (and never quotes a secret).
/// </summary>
internal static class WorkerBindings
{
    public const string SecretText = "secret_text";
    public const string SecretKey = "secret_key";
    public const string PlainText = "plain_text";
    public const string Json = "json";
    public const string Inherit = "inherit";

    /// <summary>Required string fields per kind; an array entry "a|b" means one of them.</summary>
    private static readonly Dictionary<string, string[]> RequiredStrings = new()
    {
        [PlainText] = ["text"],
        [SecretText] = ["text"],
        ["kv_namespace"] = ["namespace_id"],
        ["d1"] = ["database_id|id"],
        ["r2_bucket"] = ["bucket_name"],
        ["service"] = ["service"],
        ["durable_object_namespace"] = ["class_name|namespace_id"],
        ["secrets_store_secret"] = ["store_id", "secret_name"],
        ["queue"] = ["queue_name"],
        [SecretKey] = ["format"],
        [Inherit] = [],
    };

    public static string TypeOf(JsonObject binding) => binding["type"]!.GetValue<string>();
    public static string NameOf(JsonObject binding) => binding["name"]!.GetValue<string>();

    /// <summary>Validates a bindings array (null: none) and returns deep copies.</summary>
    public static List<JsonObject> ValidateList(JsonNode? bindings)
    {
        if (bindings is null)
            return [];
        if (bindings is not JsonArray array)
            throw WorkerSecretParser.Invalid("metadata.bindings must be an array");
        var result = new List<JsonObject>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject binding)
                throw WorkerSecretParser.Invalid($"metadata.bindings[{i}] must be an object");
            var validated = Validate(binding, $"bindings[{i}]");
            if (!names.Add(NameOf(validated)))
                throw WorkerSecretParser.Invalid($"binding \"{NameOf(validated)}\": the name is used by more than one binding");
            result.Add(validated);
        }
        return result;
    }

    /// <summary>Validates one binding and returns a deep copy. <paramref name="where"/> names it when it has no usable name.</summary>
    public static JsonObject Validate(JsonObject binding, string where)
    {
        var name = StringField(binding, "name");
        if (string.IsNullOrEmpty(name))
            throw WorkerSecretParser.Invalid($"{where}: name is required and must be a non-empty string");
        try
        {
            WorkerSecretParser.ValidateName(name);
        }
        catch (Envelope.ApiException e)
        {
            throw WorkerSecretParser.Invalid($"binding \"{name}\": {e.Error.Message}");
        }
        var type = StringField(binding, "type");
        if (string.IsNullOrEmpty(type))
            throw WorkerSecretParser.Invalid($"binding \"{name}\": type is required and must be a string");

        foreach (var required in RequiredStrings.GetValueOrDefault(type) ?? [])
        {
            var choices = required.Split('|');
            if (!choices.Any(c => !string.IsNullOrEmpty(StringField(binding, c, name))))
                throw WorkerSecretParser.Invalid($"binding \"{name}\" of type {type}: {string.Join(" or ", choices)} is required and must be a string");
        }
        switch (type)
        {
            case Json when !binding.ContainsKey("json"):
                throw WorkerSecretParser.Invalid($"binding \"{name}\" of type json: json is required");
            case SecretKey:
                if (binding["algorithm"]?.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.String))
                    throw WorkerSecretParser.Invalid($"binding \"{name}\" of type secret_key: algorithm is required (an object such as {{\"name\": \"HMAC\"}})");
                if (binding["usages"] is not JsonArray usages || usages.Count == 0 || usages.Any(u => u?.GetValueKind() != JsonValueKind.String))
                    throw WorkerSecretParser.Invalid($"binding \"{name}\" of type secret_key: usages must be a non-empty array of strings");
                if (binding["key_base64"] is null && binding["key_jwk"] is null)
                    throw WorkerSecretParser.Invalid($"binding \"{name}\" of type secret_key: key_base64 or key_jwk is required");
                break;
            case "analytics_engine":
                // wrangler omits dataset when the config names none; the API then uses the binding name.
                StringField(binding, "dataset", name);
                break;
            case Inherit:
                StringField(binding, "old_name", name);
                StringField(binding, "version_id", name);
                break;
        }
        return (JsonObject)binding.DeepClone();
    }

    /// <summary>A binding as reads return it: secret_text as {name, type}, secret_key without its key material.</summary>
    public static JsonObject ForRead(JsonObject binding)
    {
        var type = TypeOf(binding);
        if (type == SecretText)
            return new JsonObject { ["name"] = NameOf(binding), ["type"] = SecretText };
        var copy = (JsonObject)binding.DeepClone();
        if (type == SecretKey)
        {
            copy.Remove("key_base64");
            copy.Remove("key_jwk");
        }
        return copy;
    }

    private static string? StringField(JsonObject binding, string property, string? bindingName = null) => binding[property] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw WorkerSecretParser.Invalid(bindingName is null
            ? $"binding {property} must be a string"
            : $"binding \"{bindingName}\": {property} must be a string"),
    };
}
