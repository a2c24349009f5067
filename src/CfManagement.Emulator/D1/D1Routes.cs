using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.D1;

/// <summary>
/// D1 databases of the account: list/create, get/delete, query. Reads need D1 Read, everything else
/// D1 Write; a query is a read when every statement starts with SELECT, WITH, EXPLAIN or VALUES.
/// </summary>
internal static class D1Routes
{
    private const string Base = "/accounts/{account_id}/d1/database";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base, List);
        routes.Add("POST", Base, Create);
        routes.Add("GET", Base + "/{database_id}", Get);
        routes.Add("DELETE", Base + "/{database_id}", Delete);
        routes.Add("POST", Base + "/{database_id}/query", Query);
    }

    private static void Require(ApiContext context, bool write)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.D1Write : PermissionCatalog.D1Read, ResourceTarget.Account(accountId));
    }

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var paging = Paging.Parse(context, 1000, 10000);
        var name = context.Query("name");
        var databases = context.State.D1.All.Where(d => name is null || d.Name.Contains(name, StringComparison.Ordinal)).ToList();
        var (page, info) = paging.Apply(databases);
        return ApiResponse.Ok(new JsonArray(page.Select(d => (JsonNode?)Summary(d)).ToArray()), info);
    }

    private static ApiResponse Create(ApiContext context)
    {
        Require(context, write: true);
        var body = context.ReadJsonObject();
        var name = body["name"]?.GetValueKind() == JsonValueKind.String ? body["name"]!.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(name))
            throw ApiException.BadRequest(ErrorCodes.FieldRequired, "name is required and must be a non-empty string");
        if (context.State.D1.NameTaken(name))
            throw ApiException.BadRequest(ErrorCodes.D1DuplicateName, $"A database with name '{name}' already exists");
        return ApiResponse.Ok(Summary(context.State.D1.Create(name, context.Now)));
    }

    private static ApiResponse Get(ApiContext context)
    {
        Require(context, write: false);
        var database = Find(context);
        var json = Summary(database);
        json["num_tables"] = database.TableCount;
        json["file_size"] = database.FileSize;
        return ApiResponse.Ok(json);
    }

    private static ApiResponse Delete(ApiContext context)
    {
        Require(context, write: true);
        context.State.D1.Delete(Find(context));
        return ApiResponse.Ok(null);
    }

    private static ApiResponse Query(ApiContext context)
    {
        var body = context.ReadJsonObject();
        var sql = body["sql"]?.GetValueKind() == JsonValueKind.String ? body["sql"]!.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(sql))
            throw ApiException.BadRequest(ErrorCodes.FieldRequired, "sql is required and must be a non-empty string");
        var parameters = body["params"] switch
        {
            null => [],
            JsonArray array => array.ToList(),
            _ => throw ApiException.BadRequest(ErrorCodes.FieldRequired, "params must be an array"),
        };
        Require(context, write: !IsReadOnly(sql));
        return ApiResponse.Ok(D1QueryRunner.Run(Find(context), sql, parameters));
    }

    private static bool IsReadOnly(string sql) =>
        sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(statement => new[] { "SELECT", "WITH", "EXPLAIN", "VALUES" }
                .Any(word => statement.StartsWith(word, StringComparison.OrdinalIgnoreCase)));

    private static D1Database Find(ApiContext context)
    {
        var id = context.Route("database_id");
        return context.State.D1.Find(id)
            ?? throw new ApiException(404, ErrorCodes.D1NotFound, $"The database {id} could not be found");
    }

    private static JsonObject Summary(D1Database database) => new()
    {
        ["uuid"] = database.Uuid,
        ["name"] = database.Name,
        ["created_at"] = TokenJson.Time(database.CreatedAt),
        ["version"] = "production",
    };
}
