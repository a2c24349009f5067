using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.SecretsStore;

/// <summary>
/// The account's Secrets Store, stores and quota, under /accounts/{account_id}/secrets_store (cf-trimmed.json,
/// operations secrets-store-*; secrets themselves: <see cref="SecretsStoreSecretRoutes"/>).
/// Every error code of the area (the real API publishes none for it, so all but 10000, 6007, 1100, 1115 and 7003
/// are chosen; clients should branch on the HTTP status):
/// <list type="bullet">
/// <item>403 10000: caller outside the account, or lacking Secrets Store Read (reads) / Secrets Store Write (changes;
/// Write satisfies Read) on the account. Checked before anything is looked up.</item>
/// <item>400 7003: a {store_id} or {secret_id} that is not 32 lowercase hex.</item>
/// <item>404 1600: no store with that id. 404 1601: no secret with that id in the store.</item>
/// <item>400 1602: invalid secret (name not 1-255 of [A-Za-z0-9_-], value missing/empty/over 65536 bytes, scopes
/// missing/empty/outside workers|ai_gateway|dex|access|containers|websearch, comment over 1024, create body not a
/// non-empty array, patch with nothing to change, bulk delete without a non-empty array of ids).</item>
/// <item>409 1603: a secret of that name is already in the store (create: nothing is created; duplicate).</item>
/// <item>400 1604: the account's secret quota (100) would be exceeded (create, duplicate).</item>
/// <item>400 1605: invalid store (name not 1-255 of [A-Za-z0-9_-]).</item>
/// <item>409 1606: a store of that name exists. 409 1607: the account already has its one store (open beta limit).</item>
/// <item>409 1608: DELETE of a store that still holds secrets without ?force=true.</item>
/// <item>400 6007 malformed JSON, 400 1100 body of the wrong JSON type, 400 1115 bad page/per_page.</item>
/// </list>
/// Routes here: GET quota → {secrets: {quota, usage}}; GET stores (page, per_page: default 20, at most 100) →
/// [{id, account_id, name, created, modified}] with result_info; POST stores {name} → the store; GET stores/{store_id}
/// → the store; DELETE stores/{store_id}[?force=true] → null (force deletes its secrets too).
/// </summary>
internal static class SecretsStoreRoutes
{
    public const string Base = "/accounts/{account_id}/secrets_store";
    public const string Store = Base + "/stores/{store_id}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base + "/quota", Quota);
        routes.Add("GET", Base + "/stores", List);
        routes.Add("POST", Base + "/stores", Create);
        routes.Add("GET", Store, Get);
        routes.Add("DELETE", Store, Delete);
    }

    /// <summary>Account membership, then Secrets Store Read or Write on the account (403 10000).</summary>
    public static void Require(ApiContext context, bool write)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.SecretsStoreWrite : PermissionCatalog.SecretsStoreRead, ResourceTarget.Account(accountId));
    }

    /// <summary>The store named by {store_id}: 400 7003 when malformed, 404 1600 when unknown.</summary>
    public static StoreRecord Find(ApiContext context)
    {
        var id = context.Route("store_id");
        if (!Ids.IsHexId(id))
            throw ApiException.BadRequest(ErrorCodes.InvalidObjectIdentifier, "Could not route to the store: perhaps your object identifier is invalid?");
        return context.State.SecretsStore.Find(id)
            ?? throw new ApiException(404, ErrorCodes.SecretsStoreNotFound, $"Store '{id}' not found");
    }

    public static JsonObject StoreJson(StoreRecord store, string accountId) => new()
    {
        ["id"] = store.Id,
        ["account_id"] = accountId,
        ["name"] = store.Name,
        ["created"] = TokenJson.Time(store.Created),
        ["modified"] = TokenJson.Time(store.Modified),
    };

    private static ApiResponse Quota(ApiContext context)
    {
        Require(context, write: false);
        return ApiResponse.Ok(new JsonObject
        {
            ["secrets"] = new JsonObject { ["quota"] = SecretsStoreRegistry.SecretQuota, ["usage"] = context.State.SecretsStore.SecretCount },
        });
    }

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var paging = Paging.Parse(context, defaultPerPage: 20, maxPerPage: 100);
        var (items, info) = paging.Apply(context.State.SecretsStore.Stores);
        var accountId = context.Route("account_id");
        return ApiResponse.Ok(new JsonArray(items.Select(s => (JsonNode?)StoreJson(s, accountId)).ToArray()), info);
    }

    private static ApiResponse Create(ApiContext context)
    {
        Require(context, write: true);
        var name = SecretsStoreParser.ParseStoreName(context.ReadJsonObject());
        var registry = context.State.SecretsStore;
        if (registry.FindByName(name) is not null)
            throw new ApiException(409, ErrorCodes.SecretsStoreDuplicateStore, $"A store named '{name}' already exists");
        if (registry.Stores.Count >= SecretsStoreRegistry.MaxStores)
            throw new ApiException(409, ErrorCodes.SecretsStoreLimitReached,
                $"The account already has {SecretsStoreRegistry.MaxStores} store(s), the most it may have");
        return ApiResponse.Ok(StoreJson(registry.Add(name, context.Now), context.Route("account_id")));
    }

    private static ApiResponse Get(ApiContext context)
    {
        Require(context, write: false);
        return ApiResponse.Ok(StoreJson(Find(context), context.Route("account_id")));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        Require(context, write: true);
        var store = Find(context);
        var force = string.Equals(context.Query("force"), "true", StringComparison.OrdinalIgnoreCase);
        if (store.Secrets.Count > 0 && !force)
            throw new ApiException(409, ErrorCodes.SecretsStoreNotEmpty,
                $"Store '{store.Name}' still holds {store.Secrets.Count} secret(s); delete them first or pass force=true");
        context.State.SecretsStore.Remove(store);
        return ApiResponse.Ok(null);
    }
}
