using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// GET /accounts/{account_id}/workers/scripts: every script, unpaged, as {id, created_on, modified_on, etag}.
/// Reads need Workers Scripts Read (Write satisfies it), changes Workers Scripts Write, on the account;
/// a caller outside the account gets 403 10000. Unknown script: 404 10007.
/// </summary>
internal static class WorkerScriptRoutes
{
    public const string Base = "/accounts/{account_id}/workers/scripts";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base, List);
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

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var scripts = context.State.Workers.All.Select(s => (JsonNode?)new JsonObject
        {
            ["id"] = s.Name,
            ["created_on"] = TokenJson.Time(s.CreatedOn),
            ["modified_on"] = TokenJson.Time(s.ModifiedOn),
            ["etag"] = s.Etag,
        });
        return ApiResponse.Ok(new JsonArray(scripts.ToArray()));
    }
}
