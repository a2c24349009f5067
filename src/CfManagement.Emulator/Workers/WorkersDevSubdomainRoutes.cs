using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// workers.dev, as `wrangler deploy` uses it (workers-sdk packages/deploy-helpers/src/triggers/deploy.ts,
/// subdomainDeploy; src/routes.ts getWorkersDevSubdomain): after the upload it reads the Worker's current flags
/// (GET /workers/workers/{name}), the account's subdomain when the Worker is to be served there, then POSTs the
/// wanted flags. Routes, all under /accounts/{account_id}/workers:
/// GET subdomain → {subdomain} (the seed registers one made from the account name; none registered: 404 10007, on which
/// wrangler offers to register one); PUT subdomain {subdomain} → {subdomain} (1-63 of [a-z0-9-], not starting or
/// ending with '-', else 400 10021);
/// GET scripts/{script_name}/subdomain → {enabled, previews_enabled}; POST scripts/{script_name}/subdomain
/// {enabled, previews_enabled?} (booleans, else 400 10021; previews_enabled absent: unchanged) → the flags now in force;
/// GET workers/{script_name} (the newer "Workers" API) → {id, name, created_on, updated_on, logpush, observability,
/// tags, tail_consumers, subdomain{enabled, previews_enabled}}.
/// Reads need Workers Scripts Read, changes Workers Scripts Write (403 10000); unknown script 404 10007.
/// </summary>
internal static partial class WorkersDevSubdomainRoutes
{
    private const string Account = "/accounts/{account_id}/workers";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Account + "/subdomain", GetAccountSubdomain);
        routes.Add("PUT", Account + "/subdomain", PutAccountSubdomain);
        routes.Add("GET", WorkerScriptRoutes.Base + "/{script_name}/subdomain", GetScriptSubdomain);
        routes.Add("POST", WorkerScriptRoutes.Base + "/{script_name}/subdomain", PostScriptSubdomain);
        routes.Add("GET", Account + "/workers/{script_name}", GetWorker);
    }

    /// <summary>The seed's account subdomain: the account name in lower case, every run of other characters a '-'.</summary>
    public static string DefaultSubdomain(string accountName) =>
        NotSubdomainCharacters().Replace(accountName.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } name ? name : "emulated";

    private static ApiResponse GetAccountSubdomain(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var subdomain = context.State.WorkersDev.AccountSubdomain
            ?? throw new ApiException(404, ErrorCodes.WorkerScriptNotFound, "workers.api.error.subdomain_not_found");
        return ApiResponse.Ok(new JsonObject { ["subdomain"] = subdomain });
    }

    private static ApiResponse PutAccountSubdomain(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var body = context.ReadJsonObject();
        if (body["subdomain"] is not JsonValue value || !value.TryGetValue(out string? subdomain) || !SubdomainName().IsMatch(subdomain))
            throw ApiException.BadRequest(ErrorCodes.WorkerInvalidBinding, "subdomain must be 1-63 of a-z, 0-9 and '-', not starting or ending with '-'");
        context.State.WorkersDev.AccountSubdomain = subdomain;
        return ApiResponse.Ok(new JsonObject { ["subdomain"] = subdomain });
    }

    private static ApiResponse GetScriptSubdomain(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(Flags(context, script));
    }

    private static ApiResponse PostScriptSubdomain(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var body = context.ReadJsonObject();
        var current = context.State.WorkersDev.For(script.Name);
        var enabled = Boolean(body, "enabled") ?? throw ApiException.BadRequest(ErrorCodes.WorkerInvalidBinding, "enabled is required and must be a boolean");
        var previews = Boolean(body, "previews_enabled") ?? current.PreviewsEnabled;   // absent: unchanged
        context.State.WorkersDev.Set(script.Name, enabled, previews);
        return ApiResponse.Ok(Flags(context, script));
    }

    private static ApiResponse GetWorker(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(new JsonObject
        {
            ["id"] = script.Tag,
            ["name"] = script.Name,
            ["created_on"] = TokenJson.Time(script.CreatedOn),
            ["updated_on"] = TokenJson.Time(script.ModifiedOn),
            ["logpush"] = script.Logpush,
            ["observability"] = script.Observability?.DeepClone(),
            ["tags"] = new JsonArray(script.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["tail_consumers"] = script.TailConsumers.DeepClone(),
            ["subdomain"] = Flags(context, script),
        });
    }

    private static JsonObject Flags(ApiContext context, WorkerScript script)
    {
        var (enabled, previews) = context.State.WorkersDev.For(script.Name);
        return new JsonObject { ["enabled"] = enabled, ["previews_enabled"] = previews };
    }

    /// <summary>The boolean at <paramref name="name"/>; null when absent or null; 400 10021 when not a boolean.</summary>
    private static bool? Boolean(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw ApiException.BadRequest(ErrorCodes.WorkerInvalidBinding, $"{name} must be a boolean"),
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SubdomainName();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSubdomainCharacters();
}
