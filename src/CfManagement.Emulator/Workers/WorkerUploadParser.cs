using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Multipart;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Reads a Worker upload. Multipart: a <c>metadata</c> part (JSON) and one part per module, named as the module.
/// <c>main_module</c> (module Worker) or <c>body_part</c> (service worker) must name a part. Script PUT also takes a raw
/// application/javascript or text/javascript body as a service worker with no metadata.
/// Errors: 400 10006 when the body is not multipart/form-data or is malformed, or metadata is not JSON;
/// 400 10021 for a missing metadata part or entry point, an entry point naming no part ("No such module"), a bad
/// compatibility_date (YYYY-MM-DD) / compatibility_flags / keep_bindings / usage_model / bindings / settings field;
/// 400 10027 when the code is larger than 10 MiB.
/// </summary>
internal static class WorkerUploadParser
{
    public const long MaxCodeBytes = 10 * 1024 * 1024;
    private static readonly HashSet<string> UsageModels = ["standard", "bundled", "unbound"];

    public static WorkerUpload Parse(ApiContext context, bool allowRawScript)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(context.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;
        if (allowRawScript && mediaType is "application/javascript" or "text/javascript")
        {
            var script = new WorkerModule("worker.js", "application/javascript", context.Body);
            CheckSize([script]);
            return new WorkerUpload([script], script.Name, false, [], new HashSet<string>(), null, [], null, null, null, null,
                new WorkerScriptSettings(null, null, null, null));
        }

        var parts = ReadParts(context);
        var metadataPart = parts.FirstOrDefault(p => p.Name == "metadata")
            ?? throw WorkerSecretParser.Invalid("the upload has no metadata part");
        var metadata = ParseJsonObject(metadataPart.Content, "metadata");
        var modules = parts.Where(p => p != metadataPart)
            .Select(p => new WorkerModule(p.Name, p.ContentType ?? "application/octet-stream", p.Content)).ToList();
        CheckSize(modules);

        var mainModule = String(metadata, "main_module");
        var bodyPart = String(metadata, "body_part");
        var entry = mainModule ?? bodyPart
            ?? throw WorkerSecretParser.Invalid("metadata.main_module (or body_part for a service worker) is required");
        if (modules.All(m => m.Name != entry))
            throw WorkerSecretParser.Invalid($"No such module \"{entry}\": metadata.{(mainModule is null ? "body_part" : "main_module")} names no part of the upload");

        return new WorkerUpload(
            modules,
            entry,
            HasModules: mainModule is not null,
            WorkerBindings.ValidateList(metadata["bindings"]),
            StringList(metadata, "keep_bindings").ToHashSet(StringComparer.Ordinal),
            CompatibilityDate(metadata),
            StringList(metadata, "compatibility_flags"),
            UsageModel(metadata),
            Object(metadata, "limits"),
            Object(metadata, "placement"),
            metadata["annotations"],
            WorkerScriptSettings.Parse(metadata));
    }

    /// <summary>The parts of a multipart body, or 400 10006.</summary>
    public static IReadOnlyList<MultipartPart> ReadParts(ApiContext context)
    {
        try
        {
            return MultipartFormData.Parse(context.Body, context.ContentType);
        }
        catch (MultipartFormatException e)
        {
            throw ApiException.BadRequest(ErrorCodes.WorkerUploadUnparseable, "Could not parse the multipart upload: " + e.Message);
        }
    }

    /// <summary>A JSON object part, or 400 10006.</summary>
    public static JsonObject ParseJsonObject(byte[] content, string partName)
    {
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(content)) as JsonObject
                ?? throw ApiException.BadRequest(ErrorCodes.WorkerUploadUnparseable, $"the {partName} part must be a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest(ErrorCodes.WorkerUploadUnparseable, $"the {partName} part is not valid JSON");
        }
    }

    public static string? CompatibilityDate(JsonObject metadata)
    {
        var date = String(metadata, "compatibility_date");
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw WorkerSecretParser.Invalid($"compatibility_date '{date}' is not a date of the form YYYY-MM-DD");
        return date;
    }

    public static string? UsageModel(JsonObject metadata)
    {
        var model = String(metadata, "usage_model");
        if (model is not null && !UsageModels.Contains(model))
            throw WorkerSecretParser.Invalid("usage_model must be one of: standard, bundled, unbound");
        return model;
    }

    public static List<string> StringList(JsonObject metadata, string property) => metadata[property] switch
    {
        null => [],
        JsonArray array when array.All(t => t?.GetValueKind() == JsonValueKind.String) => array.Select(t => t!.GetValue<string>()).ToList(),
        _ => throw WorkerSecretParser.Invalid($"{property} must be an array of strings"),
    };

    public static JsonObject? Object(JsonObject metadata, string property) => metadata[property] switch
    {
        null => null,
        JsonObject obj => (JsonObject)obj.DeepClone(),
        _ => throw WorkerSecretParser.Invalid($"{property} must be an object"),
    };

    private static string? String(JsonObject metadata, string property) => metadata[property] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw WorkerSecretParser.Invalid($"{property} must be a string"),
    };

    private static void CheckSize(IReadOnlyList<WorkerModule> modules)
    {
        if (modules.Sum(m => (long)m.Content.Length) > MaxCodeBytes)
            throw ApiException.BadRequest(ErrorCodes.WorkerScriptTooLarge, $"The Worker is larger than {MaxCodeBytes / 1024 / 1024} MiB");
    }
}
