using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Routing;

/// <summary>
/// What a handler sees: the authenticated caller, route values, query and body. The body is kept as the bytes sent
/// (multipart uploads carry binary modules); <see cref="BodyText"/> decodes it as UTF-8 once, for JSON handlers.
/// JSON is parsed whatever the Content-Type: wrangler sends some JSON as text/plain and the API accepts it.
/// </summary>
internal sealed class ApiContext(HttpContext http, EmulatorState state, EmulatorOptions options, Token caller,
    IReadOnlyDictionary<string, string> routeValues, byte[] body)
{
    private string? _bodyText;

    public HttpContext Http { get; } = http;
    public EmulatorState State { get; } = state;
    public EmulatorOptions Options { get; } = options;
    public Token Caller { get; } = caller;
    public DateTimeOffset Now { get; } = state.Now;

    public bool CallerIsAccountToken => Caller.Owner == TokenOwnerKind.Account;
    /// <summary>The user behind a user token (null for account tokens).</summary>
    public EmulatorUser? CallerUser => CallerIsAccountToken ? null : State.FindUser(Caller.OwnerUserId);

    /// <summary>The request body exactly as sent.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The body decoded as UTF-8 (decoded on first use).</summary>
    public string BodyText => _bodyText ??= Encoding.UTF8.GetString(Body);

    public string? ContentType => Http.Request.ContentType;

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
            node = JsonNode.Parse(BodyText);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest(ErrorCodes.MalformedJson, "Malformed JSON in request body");
        }
        return node as JsonObject
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidBody, "Request body must be a JSON object");
    }

    /// <summary>Like <see cref="ReadJsonObject"/>, but an empty body reads as {}.</summary>
    public JsonObject ReadJsonObjectOrEmpty() => string.IsNullOrWhiteSpace(BodyText) ? new JsonObject() : ReadJsonObject();
}
