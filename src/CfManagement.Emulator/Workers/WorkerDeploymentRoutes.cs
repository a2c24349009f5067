using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A script's deployments under /accounts/{account_id}/workers/scripts/{script_name}. Permissions as
/// <see cref="WorkerScriptRoutes"/>.
/// Errors: unknown script 404 10007; body not JSON 400 6007 (any Content-Type); strategy not "percentage", versions not
/// one or two {version_id, percentage} with percentages in 0.01-100 summing to 100, a version twice, or a bad annotation
/// 400 10021; two versions whose main modules declare different exports (<see cref="WorkerExports"/>) 400 100405; a version the script does not have 404 10235; deploying a version older than the latest secret change
/// whose secrets differ from the latest version's, without ?force=true, 400 10220 "A secret has changed since this
/// version was active. ... The following secrets have changed: A, B" (wrangler rollback's
/// CANNOT_ROLLBACK_WITH_MODIFIED_SECERT_CODE; wrangler then asks and retries with force).
/// Routes:
/// GET deployments → {deployments: [{id, created_on, source, strategy: "percentage", versions[{version_id, percentage}],
///   annotations{"workers/message"?, "workers/triggered_by"}, author_email}]} newest first (the first serves traffic);
/// POST deployments[?force=true] {strategy: "percentage", versions: [...], annotations?{"workers/message"}} → the new
///   deployment ("workers/triggered_by": "deployment"), which serves traffic from now on.
/// </summary>
internal static class WorkerDeploymentRoutes
{
    private const string Deployments = WorkerScriptRoutes.Script + "/deployments";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Deployments, List);
        routes.Add("POST", Deployments, Create);
    }

    private static ApiResponse List(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(new JsonObject
        {
            ["deployments"] = new JsonArray(script.Deployments.Reverse().Select(d => (JsonNode?)WorkerJson.Deployment(d)).ToArray()),
        });
    }

    private static ApiResponse Create(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var body = context.ReadJsonObject();
        if (body["strategy"]?.GetValueKind() != JsonValueKind.String || body["strategy"]!.GetValue<string>() != WorkerDeployment.Strategy)
            throw WorkerSecretParser.Invalid("strategy must be \"percentage\"");
        if (body["versions"] is not JsonArray { Count: 1 or 2 } versions)
            throw WorkerSecretParser.Invalid("versions must be an array of one or two {version_id, percentage}");

        var splits = new List<WorkerDeploymentSplit>();
        foreach (var entry in versions)
        {
            if (entry is not JsonObject split
                || split["version_id"]?.GetValueKind() != JsonValueKind.String
                || split["percentage"]?.GetValueKind() != JsonValueKind.Number)
                throw WorkerSecretParser.Invalid("each versions entry needs a string version_id and a number percentage");
            var percentage = split["percentage"]!.GetValue<double>();
            if (percentage is < 0.01 or > 100)
                throw WorkerSecretParser.Invalid("percentage must be between 0.01 and 100");
            splits.Add(new WorkerDeploymentSplit(split["version_id"]!.GetValue<string>(), percentage));
        }
        if (Math.Abs(splits.Sum(s => s.Percentage) - 100) > 1e-9)
            throw WorkerSecretParser.Invalid("the versions' percentages must sum to 100");
        if (splits.Select(s => s.VersionId).Distinct().Count() != splits.Count)
            throw WorkerSecretParser.Invalid("a version may appear only once in a deployment");

        var targets = splits.Select(s => WorkerScriptRoutes.FindVersion(script, s.VersionId, null)).ToList();
        if (targets.Count == 2 && !targets[0].Exports.SequenceEqual(targets[1].Exports))
            throw ApiException.BadRequest(ErrorCodes.WorkerDeploymentExportsDiffer,
                $"The versions of a deployment must declare the same exports: version {targets[0].Number} exports " +
                $"[{string.Join(", ", targets[0].Exports)}], version {targets[1].Number} exports [{string.Join(", ", targets[1].Exports)}].");
        if (context.Query("force") != "true")
            RefuseRollbackOverSecretChange(script, targets);

        var annotations = WorkerAnnotations.Parse(body["annotations"], "deployment");
        var deployment = script.Deploy(splits, annotations, WorkerAuthor.Of(context));
        return ApiResponse.Ok(WorkerJson.Deployment(deployment));
    }

    private static void RefuseRollbackOverSecretChange(WorkerScript script, IEnumerable<WorkerVersion> targets)
    {
        var latest = script.Latest!;
        var changed = targets.Where(v => v.Number < script.LastSecretChangeNumber)
            .SelectMany(v => WorkerScript.ChangedSecrets(v, latest)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (changed.Count > 0)
            throw ApiException.BadRequest(ErrorCodes.WorkerRollbackSecretChanged,
                "A secret has changed since this version was active. If you are sure this is ok, add a ?force=true query parameter " +
                "to allow the rollback. The following secrets have changed: " + string.Join(", ", changed));
    }
}
