using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A script's secrets under /accounts/{account_id}/workers/scripts/{script_name}:
/// GET secrets → [{name, type}]; GET secrets/{secret_name} → {name, type}; PUT secrets {name, text, type}
/// adds or replaces one → {name, type}; DELETE secrets/{secret_name} (url-encoded; ?url_encoded=true
/// accepted) → {}; PATCH secrets-bulk (application/merge-patch+json or application/json)
/// {"secrets": {NAME: {name?, text, type} | null}} applies every change or none (null deletes; deleting an
/// absent secret is a no-op) → {NAME: {name, type}} for every secret the script then has.
/// Every change makes a new version from the latest (code, other bindings and settings copied; annotations
/// {"workers/triggered_by": "secret"}) and deploys it at 100%, as the real API does; the secrets are those of the
/// latest version. Secret text is never returned.
/// Errors: unknown script 404 10007, unknown secret 404 10056, invalid secret 400 10021, more bulk entries than the
/// limit (<see cref="EmulatorOptions.WorkerSecretsBulkLimit"/>, default 100; POST /__emulator/workers/secrets-bulk-limit)
/// 400 100160, other content types on bulk 415 1117; a change (PUT, DELETE, bulk) while the latest version is not the
/// one deployed at 100% 400 10215, secrets-bulk during a gradual deployment that includes the latest version 400 10214
/// (see <see cref="WorkerGates"/>). "Script being modified" 429s on secrets-bulk are injected faults:
/// POST /__emulator/faults {"method":"PATCH","pathContains":"/secrets-bulk","kind":"Status","statusCode":429,"times":N}.
/// Order: permission and membership, script lookup, the deployment gate, then the body.
/// </summary>
internal static class WorkerSecretRoutes
{
    private const string Script = WorkerScriptRoutes.Base + "/{script_name}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Script + "/secrets", List);
        routes.Add("PUT", Script + "/secrets", Put);
        routes.Add("GET", Script + "/secrets/{secret_name}", Get);
        routes.Add("DELETE", Script + "/secrets/{secret_name}", Delete);
        routes.Add("PATCH", Script + "/secrets-bulk", Bulk);
    }

    private static ApiResponse List(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(new JsonArray(script.SecretNames.Select(n => (JsonNode?)SecretJson(n)).ToArray()));
    }

    private static ApiResponse Get(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(SecretJson(FindSecret(context, script)));
    }

    private static ApiResponse Put(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        WorkerGates.RequireLatestDeployedForSecrets(script, bulk: false);
        var draft = WorkerSecretParser.Parse(context.ReadJsonObject());
        Publish(context, script, new Dictionary<string, string?> { [draft.Name] = draft.Text });
        return ApiResponse.Ok(SecretJson(draft.Name));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var name = FindSecret(context, script);
        WorkerGates.RequireLatestDeployedForSecrets(script, bulk: false);
        Publish(context, script, new Dictionary<string, string?> { [name] = null });
        return ApiResponse.Ok(new JsonObject());
    }

    private static ApiResponse Bulk(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        WorkerGates.RequireLatestDeployedForSecrets(script, bulk: true);
        RequireMergePatchContentType(context);
        var body = context.ReadJsonObject();
        if (body["secrets"] is not JsonObject secrets)
            throw WorkerSecretParser.Invalid("secrets is required and must be an object");
        if (body["version_tags"] is not (null or JsonObject))
            throw WorkerSecretParser.Invalid("version_tags must be an object");
        var limit = context.State.Workers.SecretsBulkLimit;
        if (secrets.Count > limit)
            throw ApiException.BadRequest(ErrorCodes.WorkerSecretsBulkTooMany,
                $"Too many secrets in one request: {secrets.Count} (at most {limit})");

        // Validate every entry before touching the script: all or nothing.
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in secrets)
        {
            switch (value)
            {
                case null:
                    WorkerSecretParser.ValidateName(name);
                    changes[name] = null;
                    break;
                case JsonObject secret:
                    changes[name] = WorkerSecretParser.Parse(secret, expectedName: name).Text;
                    break;
                default:
                    throw WorkerSecretParser.Invalid($"secrets.{name} must be an object or null");
            }
        }
        Publish(context, script, changes);

        var result = new JsonObject();
        foreach (var name in script.SecretNames)
            result[name] = SecretJson(name);
        return ApiResponse.Ok(result);
    }

    /// <summary>A new version from the latest with the secret changes (text adds or replaces, null removes), deployed at 100%.</summary>
    private static void Publish(ApiContext context, WorkerScript script, IReadOnlyDictionary<string, string?> changes)
    {
        var latest = WorkerGates.RequireLatest(script);
        var author = WorkerAuthor.Of(context);
        var annotations = new Dictionary<string, string> { [WorkerAnnotations.TriggeredBy] = "secret" };
        script.Publish(WorkerVersionBuilder.WithBindings(latest, script, WorkerVersionBuilder.ApplySecrets(latest, changes), annotations, author), author);
    }

    private static void RequireMergePatchContentType(ApiContext context)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(context.Http.Request.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;
        if (mediaType is not ("application/merge-patch+json" or "application/json"))
            throw new ApiException(415, ErrorCodes.UnsupportedContentType,
                "Content-Type must be application/merge-patch+json (or application/json)");
    }

    /// <summary>The {secret_name} of the path if the script has it, else 404 10056.</summary>
    private static string FindSecret(ApiContext context, WorkerScript script)
    {
        var name = context.Route("secret_name");
        return script.HasSecret(name)
            ? name
            : throw new ApiException(404, ErrorCodes.WorkerBindingNotFound, $"Binding '{name}' not found.");
    }

    private static JsonObject SecretJson(string name) => new() { ["name"] = name, ["type"] = WorkerSecretParser.SecretTextType };
}
