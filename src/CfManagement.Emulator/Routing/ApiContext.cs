using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Routing;

/// <summary>What a handler sees: the authenticated caller, route values, query and body.</summary>
internal sealed class ApiContext(HttpContext http, EmulatorState state, EmulatorOptions options, Token caller,
    IReadOnlyDictionary<string, string> routeValues, string body)
{
    public HttpContext Http { get; } = http;
    public EmulatorState State { get; } = state;
    public EmulatorOptions Options { get; } = options;
    public Token Caller { get; } = caller;
    public DateTimeOffset Now { get; } = state.Now;

    public bool CallerIsAccountToken => Caller.Owner == TokenOwnerKind.Account;
    /// <summary>The user behind a user token (null for account tokens).</summary>
    public EmulatorUser? CallerUser => CallerIsAccountToken ? null : State.FindUser(Caller.OwnerUserId);

    public string Route(string name) => routeValues[name];

    public string? Query(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>Whether the caller may act on this account: its own account token, or a member user's token.</summary>
    public bool CallerBelongsTo(string accountId) =>
        accountId == State.AccountId && (CallerIsAccountToken ? Caller.AccountId == accountId : CallerUser is not null);

    public void RequireAccountMember(string accountId)
    {
        if (!CallerBelongsTo(accountId))
            throw ApiException.Forbidden();
    }

    /// <summary>403 10000 unless the caller holds the group (or its Write twin) on the target.</summary>
    public void Require(PermissionGroup group, ResourceTarget target)
    {
        if (!PermissionEvaluator.Has(Caller, group, target))
            throw ApiException.Forbidden();
    }

    public bool Has(PermissionGroup group, ResourceTarget target) => PermissionEvaluator.Has(Caller, group, target);

    /// <summary>Parses the body as a JSON object: 400 6007 when not JSON, 400 1100 when not an object.</summary>
    public JsonObject ReadJsonObject()
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest(ErrorCodes.MalformedJson, "Malformed JSON in request body");
        }
        return node as JsonObject
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidBody, "Request body must be a JSON object");
    }

    /// <summary>Like <see cref="ReadJsonObject"/>, but an empty body reads as {}.</summary>
    public JsonObject ReadJsonObjectOrEmpty() => string.IsNullOrWhiteSpace(body) ? new JsonObject() : ReadJsonObject();

    /// <summary>The body as received, for the routes that read something other than JSON (a multipart form).</summary>
    public string RawBody => body;
}
