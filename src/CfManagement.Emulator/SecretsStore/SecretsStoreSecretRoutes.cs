using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.SecretsStore;

/// <summary>
/// A store's secrets under /accounts/{account_id}/secrets_store/stores/{store_id}/secrets. Error codes: as listed on
/// <see cref="SecretsStoreRoutes"/> (403 10000, 400 7003, 404 1600/1601, 400 1602, 409 1603, 400 1604, 400 6007/1100/1115).
/// Values are stored, never returned and never logged (Recording/SecretRedactor blanks "value" on these paths).
/// Routes: GET secrets (page, per_page: default 20, at most 100; search: case-insensitive part of the name) →
/// [{id, store_id, name, status, scopes, comment, created, modified}] with result_info, ordered by name;
/// POST secrets [{name, value, scopes[], comment?}, ...] creates every entry or none (names unique in the store and
/// within the body, the quota counted for all) → the created secrets; DELETE secrets ["id", ...] deletes every listed
/// secret or none (an unknown id: 404 1601) → null; GET secrets/{secret_id} → the secret; PATCH secrets/{secret_id}
/// {value?, scopes?, comment?} → the secret; DELETE secrets/{secret_id} → null; POST secrets/{secret_id}/duplicate
/// {name, scopes, comment?} → a new secret with the same value.
/// </summary>
internal static class SecretsStoreSecretRoutes
{
    private const string Secrets = SecretsStoreRoutes.Store + "/secrets";
    private const string Secret = Secrets + "/{secret_id}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Secrets, List);
        routes.Add("POST", Secrets, Create);
        routes.Add("DELETE", Secrets, BulkDelete);
        routes.Add("GET", Secret, Get);
        routes.Add("PATCH", Secret, Patch);
        routes.Add("DELETE", Secret, Delete);
        routes.Add("POST", Secret + "/duplicate", Duplicate);
    }

    private static ApiResponse List(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: false);
        var store = SecretsStoreRoutes.Find(context);
        var paging = Paging.Parse(context, defaultPerPage: 20, maxPerPage: 100);
        var search = context.Query("search");
        var matching = store.Secrets
            .Where(s => string.IsNullOrEmpty(search) || s.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var (items, info) = paging.Apply(matching);
        return ApiResponse.Ok(new JsonArray(items.Select(s => (JsonNode?)SecretJson(s)).ToArray()), info);
    }

    private static ApiResponse Create(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: true);
        var store = SecretsStoreRoutes.Find(context);
        if (context.ReadJson() is not JsonArray entries || entries.Count == 0)
            throw SecretsStoreParser.Invalid("the body must be a non-empty array of {name, value, scopes, comment?}");

        // Validate every entry before creating any: all or nothing.
        var drafts = entries.Select(SecretsStoreParser.ParseCreate).ToList();
        foreach (var name in drafts.GroupBy(d => d.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            throw Duplicate(name);
        foreach (var draft in drafts.Where(d => store.FindSecretByName(d.Name) is not null))
            throw Duplicate(draft.Name);
        RequireQuota(context, drafts.Count);

        var created = drafts.Select(d => new SecretRecord(Ids.NewHexId(), store.Id, d.Name, d.Value, d.Scopes, d.Comment, context.Now)).ToList();
        store.Secrets.AddRange(created);
        store.Modified = context.Now;
        return ApiResponse.Ok(new JsonArray(created.Select(s => (JsonNode?)SecretJson(s)).ToArray()),
            new ResultInfo(1, created.Count, created.Count, created.Count, 1));
    }

    private static ApiResponse BulkDelete(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: true);
        var store = SecretsStoreRoutes.Find(context);
        if (context.ReadJson() is not JsonArray ids || ids.Count == 0)
            throw SecretsStoreParser.Invalid("the body must be a non-empty array of secret ids");
        var doomed = new List<SecretRecord>();
        foreach (var node in ids)
        {
            var id = node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;
            var secret = id is null ? null : store.FindSecret(id);
            if (secret is null)
                throw new ApiException(404, ErrorCodes.SecretsStoreSecretNotFound, $"Secret '{id ?? node?.ToJsonString()}' not found in store '{store.Id}'");
            doomed.Add(secret);
        }
        foreach (var secret in doomed)
            store.Secrets.Remove(secret);
        store.Modified = context.Now;
        return ApiResponse.Ok(null);
    }

    private static ApiResponse Get(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: false);
        return ApiResponse.Ok(SecretJson(Find(context, SecretsStoreRoutes.Find(context))));
    }

    private static ApiResponse Patch(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: true);
        var store = SecretsStoreRoutes.Find(context);
        var secret = Find(context, store);
        var patch = SecretsStoreParser.ParsePatch(context.ReadJsonObject());
        if (patch.Value is not null)
            secret.Value = patch.Value;
        if (patch.Scopes is not null)
            secret.Scopes = patch.Scopes;
        if (patch.HasComment)
            secret.Comment = patch.Comment;
        secret.Modified = context.Now;
        store.Modified = context.Now;
        return ApiResponse.Ok(SecretJson(secret));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: true);
        var store = SecretsStoreRoutes.Find(context);
        store.Secrets.Remove(Find(context, store));
        store.Modified = context.Now;
        return ApiResponse.Ok(null);
    }

    private static ApiResponse Duplicate(ApiContext context)
    {
        SecretsStoreRoutes.Require(context, write: true);
        var store = SecretsStoreRoutes.Find(context);
        var source = Find(context, store);
        var (name, scopes, comment) = SecretsStoreParser.ParseDuplicate(context.ReadJsonObject());
        if (store.FindSecretByName(name) is not null)
            throw Duplicate(name);
        RequireQuota(context, 1);
        var copy = new SecretRecord(Ids.NewHexId(), store.Id, name, source.Value, scopes, comment, context.Now);
        store.Secrets.Add(copy);
        store.Modified = context.Now;
        return ApiResponse.Ok(SecretJson(copy));
    }

    /// <summary>The {secret_id} of the path in this store: 400 7003 when malformed, 404 1601 when unknown.</summary>
    private static SecretRecord Find(ApiContext context, StoreRecord store)
    {
        var id = context.Route("secret_id");
        if (!Ids.IsHexId(id))
            throw ApiException.BadRequest(ErrorCodes.InvalidObjectIdentifier, "Could not route to the secret: perhaps your object identifier is invalid?");
        return store.FindSecret(id)
            ?? throw new ApiException(404, ErrorCodes.SecretsStoreSecretNotFound, $"Secret '{id}' not found in store '{store.Id}'");
    }

    private static void RequireQuota(ApiContext context, int adding)
    {
        var used = context.State.SecretsStore.SecretCount;
        if (used + adding > SecretsStoreRegistry.SecretQuota)
            throw ApiException.BadRequest(ErrorCodes.SecretsStoreQuotaExceeded,
                $"Secret quota exceeded: {used} of {SecretsStoreRegistry.SecretQuota} used, {adding} more requested");
    }

    private static ApiException Duplicate(string name) =>
        new(409, ErrorCodes.SecretsStoreDuplicateSecret, $"A secret named '{name}' already exists in this store");

    /// <summary>The secret's metadata; never its value.</summary>
    private static JsonObject SecretJson(SecretRecord secret)
    {
        var json = new JsonObject
        {
            ["id"] = secret.Id,
            ["store_id"] = secret.StoreId,
            ["name"] = secret.Name,
            ["status"] = secret.Status,
            ["scopes"] = new JsonArray(secret.Scopes.Select(s => (JsonNode?)s).ToArray()),
            ["created"] = TokenJson.Time(secret.Created),
            ["modified"] = TokenJson.Time(secret.Modified),
        };
        if (secret.Comment is not null)
            json["comment"] = secret.Comment; // optional in the spec, and a string when present
        return json;
    }
}
