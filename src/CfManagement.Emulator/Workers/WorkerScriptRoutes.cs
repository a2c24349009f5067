using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Multipart;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Worker scripts under /accounts/{account_id}/workers. Reads need Workers Scripts Read (Write satisfies it),
/// changes Workers Scripts Write, on the account; a caller outside the account gets 403 10000 (checked before the
/// script is looked up).
/// Errors: unknown script 404 10007 (services/{name}: 404 10090); upload body not multipart, malformed, or metadata
/// not JSON 400 10006; invalid metadata or binding 400 10021 (the message names the binding); code over 10 MiB
/// 400 10027; inherit binding naming nothing under ?bindings_inherit=strict 400 10057; unknown ?version= 404 10235;
/// a ?tags= entry other than name, name:yes or name:no 400 10021.
/// Routes:
/// GET scripts[?tags=a:yes,b:no] → [script] (creation order), where script = {id, tag, etag, handlers, created_on,
///   modified_on, usage_model, logpush, tail_consumers, tags, compatibility_date, compatibility_flags, has_assets,
///   has_modules, last_deployed_from, observability, placement_mode?} of the version serving the most traffic;
/// PUT scripts/{script_name} (multipart metadata + modules, see <see cref="WorkerUploadParser"/>; or a raw
///   application/javascript service worker) creates the script if needed, makes a new version from the upload
///   (<see cref="WorkerVersionBuilder"/>: keep_bindings, inherit) and deploys it at 100%; the metadata's logpush,
///   tail_consumers, observability and tags apply to the script → script + startup_time_ms;
/// DELETE scripts/{script_name} → null (versions, deployments and secrets go with it);
/// GET scripts/{script_name} and GET scripts/{script_name}/content/v2[?version=ID] → the code of the serving (or given)
///   version: a module Worker as multipart/form-data (one part per module, Content-Type as uploaded) with header
///   CF-Entrypoint naming the main module, a service worker as raw application/javascript;
/// GET services/{script_name} → {id, created_on, modified_on, default_environment{environment: "production",
///   created_on, modified_on, script{...script, migration_tag}}}.
/// </summary>
internal static class WorkerScriptRoutes
{
    public const string Base = "/accounts/{account_id}/workers/scripts";
    public const string Script = Base + "/{script_name}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base, List);
        routes.Add("PUT", Script, Upload);
        routes.Add("DELETE", Script, Delete);
        routes.Add("GET", Script, Content);
        routes.Add("GET", Script + "/content/v2", Content);
        routes.Add("GET", "/accounts/{account_id}/workers/services/{script_name}", Service);
    }

    /// <summary>Account membership, then Workers Scripts Read or Write on the account (403 10000).</summary>
    public static void Require(ApiContext context, bool write)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.WorkersScriptsWrite : PermissionCatalog.WorkersScriptsRead,
            ResourceTarget.Account(accountId));
    }

    /// <summary>The script named by {script_name}, or 404 10007.</summary>
    public static WorkerScript Find(ApiContext context) =>
        context.State.Workers.Find(context.Route("script_name"))
        ?? throw new ApiException(404, ErrorCodes.WorkerScriptNotFound, "workers.api.error.script_not_found");

    /// <summary>The version named by ?version= (or <paramref name="fallback"/>), or 404 10235.</summary>
    public static WorkerVersion FindVersion(WorkerScript script, string? id, WorkerVersion? fallback) =>
        (id is null ? fallback : script.FindVersion(id))
        ?? throw new ApiException(404, ErrorCodes.WorkerVersionNotFound, $"Version '{id}' not found for Worker '{script.Name}'.");

    /// <summary>Applies the non-versioned settings an upload or a settings PATCH carries.</summary>
    public static void Apply(WorkerScript script, WorkerScriptSettings settings)
    {
        if (settings.Logpush is { } logpush)
            script.Logpush = logpush;
        if (settings.TailConsumers is { } tails)
            script.TailConsumers = tails;
        if (settings.Observability is { } observability)
            script.Observability = observability;
        if (settings.Tags is { } tags)
            script.Tags = tags;
    }

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var filter = ParseTagFilter(context.Query("tags"));
        var scripts = context.State.Workers.All
            .Where(s => filter.All(f => s.Tags.Contains(f.Tag) == f.Present))
            .Select(s => (JsonNode?)WorkerJson.Script(s));
        return ApiResponse.Ok(new JsonArray(scripts.ToArray()));
    }

    private static List<(string Tag, bool Present)> ParseTagFilter(string? raw)
    {
        var filter = new List<(string, bool)>();
        foreach (var entry in (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            var (tag, wanted) = colon < 0 ? (entry, "yes") : (entry[..colon], entry[(colon + 1)..]);
            if (tag.Length == 0 || wanted is not ("yes" or "no"))
                throw WorkerSecretParser.Invalid($"tags filter '{entry}' must be name, name:yes or name:no");
            filter.Add((tag, wanted == "yes"));
        }
        return filter;
    }

    private static ApiResponse Upload(ApiContext context)
    {
        Require(context, write: true);
        var upload = WorkerUploadParser.Parse(context, allowRawScript: true);
        var existing = context.State.Workers.Find(context.Route("script_name"));
        var script = existing ?? new WorkerScript(context.Route("script_name"), context.Now);
        var author = WorkerAuthor.Of(context);
        var version = WorkerVersionBuilder.FromUpload(upload, script, context.Query("bindings_inherit") == "strict", "upload", author);
        Apply(script, upload.Settings);
        script.Publish(version, author);
        if (existing is null)
            context.State.Workers.Insert(script);
        return ApiResponse.Ok(WorkerJson.UploadResult(script, version));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        Require(context, write: true);
        context.State.Workers.Remove(Find(context));
        return ApiResponse.Ok(null);
    }

    private static ApiResponse Content(ApiContext context)
    {
        Require(context, write: false);
        var script = Find(context);
        var version = FindVersion(script, context.Query("version"), script.ServingVersion);
        if (!version.HasModules)
            return ApiResponse.Raw(version.Modules.First(m => m.Name == version.MainModule).Content, "application/javascript");
        var (body, contentType) = MultipartWriter.Write(version.Modules.Select(m => new MultipartPart(m.Name, m.Name, m.ContentType, m.Content)));
        var response = ApiResponse.Raw(body, contentType);
        response.Headers["CF-Entrypoint"] = version.MainModule;
        return response;
    }

    private static ApiResponse Service(ApiContext context)
    {
        Require(context, write: false);
        var script = context.State.Workers.Find(context.Route("script_name"))
            ?? throw new ApiException(404, ErrorCodes.WorkerServiceNotFound, "workers.api.error.service_not_found");
        return ApiResponse.Ok(WorkerJson.Service(script));
    }
}
