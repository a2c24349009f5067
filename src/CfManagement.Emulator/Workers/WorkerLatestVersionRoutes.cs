using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// PATCH /accounts/{account_id}/workers/workers/{script_name}/versions/latest, what `wrangler versions secret
/// put|bulk|delete` call since 4.113 (API-FACTS "How wrangler versions secret ... makes a version"). Body
/// (application/merge-patch+json, parsed whatever the Content-Type): {env?: {NAME: binding | null}, annotations?}.
/// Makes a new version from the latest one, copying its modules, compatibility, limits, placement and every binding
/// not named in env; an env entry replaces the binding of that name (validated like upload bindings; type required;
/// "name" optional but must match the key), null removes it (absent: no-op). The new version is NOT deployed;
/// annotations as sent ("workers/message" cut at 1000 bytes, "workers/tag" at most 100 bytes) plus
/// "workers/triggered_by": "secret". Result {id, etag, deployment_id} where deployment_id is the deployment serving
/// traffic (unchanged). Permissions: Workers Scripts Write on the account (403 10000).
/// Errors: unknown script 404 10007; no versions 404 10222; body not JSON 400 6007, not an object 400 1100; env not an
/// object, an entry neither object nor null, an invalid binding or annotation 400 10021.
/// </summary>
internal static class WorkerLatestVersionRoutes
{
    public static void Register(RouteTable routes) =>
        routes.Add("PATCH", "/accounts/{account_id}/workers/workers/{script_name}/versions/latest", Patch);

    private static ApiResponse Patch(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var latest = WorkerGates.RequireLatest(script);
        var body = context.ReadJsonObject();

        var changes = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        switch (body["env"])
        {
            case null:
                break;
            case JsonObject env:
                foreach (var (name, value) in env)
                {
                    switch (value)
                    {
                        case null:
                            WorkerSecretParser.ValidateName(name);
                            changes[name] = null;
                            break;
                        case JsonObject binding:
                            if (binding["name"] is { } given && given.ToString() != name)
                                throw WorkerSecretParser.Invalid($"env.{name}: name does not match its key");
                            var named = (JsonObject)binding.DeepClone();
                            named["name"] = name;
                            changes[name] = WorkerBindings.Validate(named, $"env.{name}");
                            break;
                        default:
                            throw WorkerSecretParser.Invalid($"env.{name} must be a binding object or null");
                    }
                }
                break;
            default:
                throw WorkerSecretParser.Invalid("env must be an object");
        }
        if (changes.Values.Any(b => b is not null && WorkerBindings.TypeOf(b) == WorkerBindings.Inherit))
            throw WorkerSecretParser.Invalid("env entries cannot be inherit bindings: leave a binding out to keep it");

        var bindings = latest.Bindings.Where(b => !changes.ContainsKey(WorkerBindings.NameOf(b))).ToList();
        bindings.AddRange(changes.Values.OfType<JsonObject>());
        var version = WorkerVersionBuilder.WithBindings(latest, script, bindings,
            WorkerAnnotations.Parse(body["annotations"], "secret"), WorkerAuthor.Of(context));
        script.AddVersion(version);
        return ApiResponse.Ok(new JsonObject
        {
            ["id"] = version.Id,
            ["etag"] = version.Etag,
            ["deployment_id"] = script.CurrentDeployment?.Id,
        });
    }
}
