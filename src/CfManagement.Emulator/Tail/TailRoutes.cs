using System.Globalization;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Pages;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Workers;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// Live tails as resources.
/// Errors: unknown script 404 10007; unknown Pages project 404 8000007, unknown deployment 404 8000009 (chosen);
/// unknown tail on DELETE 404 10011 (chosen); bad filters 400 1100 (the message names the filter), body not JSON
/// 400 6007 (JSON is parsed whatever the Content-Type: wrangler sends it as text/plain); too much traffic 400 10057
/// when the target's simulated traffic (POST /__emulator/tails/traffic) times the sampling_rate exceeds the
/// threshold (<see cref="EmulatorOptions.TailTrafficThreshold"/>; POST /__emulator/tails/settings). Permissions:
/// Workers Scripts Read for Worker tails (Write satisfies it), Pages Read for Pages tails; 403 10000 otherwise.
/// Routes (under /accounts/{account_id}):
/// POST workers/scripts/{script_name}/tails {"filters": [...]} (body optional) → {id, url, expires_at}, url =
///   ws://HOST/__tail/{id} (the emulator's own host and port), expires_at = now + <see cref="EmulatorOptions.TailTtl"/>;
/// GET workers/scripts/{script_name}/tails → [{id, url, expires_at}] of the tails not yet expired;
/// DELETE workers/scripts/{script_name}/tails/{id} → null (its socket, if any, is closed normally);
/// POST pages/projects/{project_name}/deployments/{deployment_id}/tails → {id, url, expires_at};
/// DELETE pages/projects/{project_name}/deployments/{deployment_id}/tails/{tail_id} → null.
/// The socket itself: <see cref="TailSocketEndpoint"/>.
/// </summary>
internal static class TailRoutes
{
    private const string Worker = WorkerScriptRoutes.Script + "/tails";
    private const string Pages = "/accounts/{account_id}/pages/projects/{project_name}/deployments/{deployment_id}/tails";

    public static void Register(RouteTable routes)
    {
        routes.Add("POST", Worker, CreateWorkerTail);
        routes.Add("GET", Worker, ListWorkerTails);
        routes.Add("DELETE", Worker + "/{id}", DeleteWorkerTail);
        routes.Add("POST", Pages, CreatePagesTail);
        routes.Add("DELETE", Pages + "/{tail_id}", DeletePagesTail);
    }

    private static ApiResponse CreateWorkerTail(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return Create(context, script.Name, pages: false);
    }

    private static ApiResponse ListWorkerTails(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        var live = context.State.Tails.Of(script.Name).Where(t => !t.IsExpired(context.Now));
        return ApiResponse.Ok(new JsonArray(live.Select(t => (JsonNode?)Json(context, t)).ToArray()));
    }

    private static ApiResponse DeleteWorkerTail(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return Delete(context, script.Name, context.Route("id"));
    }

    private static ApiResponse CreatePagesTail(ApiContext context)
    {
        PagesProjectRoutes.Require(context, write: false);
        return Create(context, PagesTarget(context), pages: true);
    }

    private static ApiResponse DeletePagesTail(ApiContext context)
    {
        PagesProjectRoutes.Require(context, write: false);
        return Delete(context, PagesTarget(context), context.Route("tail_id"));
    }

    /// <summary>"project/deployment" after checking both exist.</summary>
    private static string PagesTarget(ApiContext context)
    {
        var project = PagesProjectRoutes.Find(context);
        var deploymentId = context.Route("deployment_id");
        if (project.Deployments.All(d => d.Id != deploymentId))
            throw new ApiException(404, ErrorCodes.PagesDeploymentNotFound, "Deployment not found.");
        return project.Name + "/" + deploymentId;
    }

    private static ApiResponse Create(ApiContext context, string target, bool pages)
    {
        var callerIp = context.Http.Connection.RemoteIpAddress?.MapToIPv4().ToString() ?? "127.0.0.1";
        var filter = TailFilter.Parse(context.ReadJsonObjectOrEmpty(), callerIp);
        var tails = context.State.Tails;
        if (tails.TrafficOf(target) * filter.SamplingRate > tails.TrafficThreshold)
            throw ApiException.BadRequest(ErrorCodes.TailTooMuchTraffic,
                "Too much traffic for live tailing. Add a sampling_rate filter to tail a sample of the requests.");
        var tail = new TailSession(Ids.NewHexId(), target, pages, filter, context.Now, context.Now + tails.Ttl);
        tails.Add(tail);
        return ApiResponse.Ok(Json(context, tail));
    }

    private static ApiResponse Delete(ApiContext context, string target, string id)
    {
        var tail = context.State.Tails.Find(id);
        if (tail is null || tail.Target != target)
            throw new ApiException(404, ErrorCodes.TailNotFound, "Tail not found.");
        context.State.Tails.Remove(id);
        return ApiResponse.Ok(null);
    }

    private static JsonObject Json(ApiContext context, TailSession tail) => new()
    {
        ["id"] = tail.Id,
        ["url"] = $"ws://{context.Http.Request.Host}{TailSocketEndpoint.Prefix}/{tail.Id}",
        ["expires_at"] = tail.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };
}
