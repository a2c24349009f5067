using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A script's versions under /accounts/{account_id}/workers/scripts/{script_name}. Permissions as
/// <see cref="WorkerScriptRoutes"/> (Read for GETs, Write for the upload).
/// Errors: unknown script 404 10007; unknown version 404 10235; bad page/per_page 400 1115; upload errors as the
/// script upload (10006, 10021, 10027), plus 400 10021 without metadata.main_module, an annotations."workers/tag" over
/// 100 bytes or a non-string annotation, and 400 10057 "inherit binding 'NAME' is invalid" under ?bindings_inherit=strict.
/// Routes:
/// GET versions[?deployable=true&amp;page&amp;per_page] → {items: [{id, number, metadata{author_email, author_id, created_on,
///   modified_on, source, hasPreview, has_preview}, annotations}]} newest first, with result_info (per_page default 10,
///   at most 100; deployable=true lists every version, unpaged);
/// GET versions/{version_id} → the same item plus resources{bindings (secret_text as {name, type}, secret_key without
///   key material), script{etag, handlers, last_deployed_from}, script_runtime{compatibility_date, compatibility_flags,
///   usage_model, limits}};
/// POST versions[?bindings_inherit=strict] (multipart as the script upload) → a new version, NOT deployed
///   (annotations "workers/message" cut at 1000 bytes; "workers/triggered_by": "version_upload") → detail + startup_time_ms.
///   The metadata's logpush/tail_consumers/observability/tags are not applied (they are script settings, set at deploy).
/// </summary>
internal static class WorkerVersionRoutes
{
    private const string Versions = WorkerScriptRoutes.Script + "/versions";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Versions, List);
        routes.Add("GET", Versions + "/{version_id}", Get);
        routes.Add("POST", Versions, Upload);
    }

    private static ApiResponse List(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        var newestFirst = script.Versions.Reverse().ToList();
        var paging = Paging.Parse(context, defaultPerPage: 10, maxPerPage: 100) with { Descending = false };
        if (context.Query("deployable") == "true")
            paging = paging with { Page = 1, PerPage = Math.Max(1, newestFirst.Count) };
        var (items, info) = paging.Apply(newestFirst);
        return ApiResponse.Ok(new JsonObject
        {
            ["items"] = new JsonArray(items.Select(v => (JsonNode?)WorkerJson.Version(v, detail: false)).ToArray()),
        }, info);
    }

    private static ApiResponse Get(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        var version = WorkerScriptRoutes.FindVersion(script, context.Route("version_id"), null);
        return ApiResponse.Ok(WorkerJson.Version(version, detail: true));
    }

    private static ApiResponse Upload(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var upload = WorkerUploadParser.Parse(context, allowRawScript: false);
        if (!upload.HasModules)
            throw WorkerSecretParser.Invalid("metadata.main_module is required to upload a version");
        var version = WorkerVersionBuilder.FromUpload(upload, script, context.Query("bindings_inherit") == "strict",
            "version_upload", WorkerAuthor.Of(context));
        script.AddVersion(version);
        var result = WorkerJson.Version(version, detail: true);
        result["startup_time_ms"] = WorkerJson.StartupTimeMs(version);
        return ApiResponse.Ok(result);
    }
}
