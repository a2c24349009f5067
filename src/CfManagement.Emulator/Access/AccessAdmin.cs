using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Access;

/// <summary>
/// Test control of Access applications and the protected origin, under /__emulator/access (no authentication; same
/// envelope as the API; snake_case like the API's own application and policy objects):
/// <list type="bullet">
/// <item>GET apps → [{id, aud, name, domain, type, session_duration, created_at, updated_at, service_auth_401_redirect, policies: [{id, name,
/// decision, precedence, include, exclude, require, created_at}]}].</item>
/// <item>POST apps {domain: "host[/path]", name?: domain, type?: "self_hosted", session_duration?: "24h",
/// service_auth_401_redirect?: true (false: an unauthenticated token is sent to the login page or refused with 403, see
/// <see cref="AccessOrigin"/>), policies?: [policy]}
/// → the application (201). policy = {name?, decision?: "non_identity" | "bypass" | "deny" | "allow" (default non_identity),
/// include: [rule, ...], exclude?: [rule], require?: [rule]}; rule = {"service_token": {"token_id": ID}} |
/// {"any_valid_service_token": {}} | {"everyone": {}}. Precedence is the place in the list (1 first).</item>
/// <item>PUT apps/{id}/policies {policies: [policy]} → the application with exactly these policies (new ids).</item>
/// <item>DELETE apps/{id} → {id}: the URL is no longer protected (and its tokens may be deleted).</item>
/// <item>GET origin → {base_url: "http://127.0.0.1:PORT/__access-origin/"}; a protected URL is base_url + host + path.</item>
/// <item>GET origin-requests → [{timestamp, method, host, path, client_id, secret_sent, status, outcome (NotProtected |
/// Bypassed | Allowed | Unauthenticated | Forbidden), reason, app_id, token_id}], oldest first; DELETE origin-requests
/// clears them. The client secret is never kept.</item>
/// </list>
/// Errors: body not JSON 400 6007; a bad field (domain missing or not host[/path], unknown type, bad policy or rule, a
/// service_token rule naming no token of the account) 400 1100 naming it; unknown application 404 12003; other paths
/// 404 7000, other methods 405 7001. Everything is dropped by POST /__emulator/reset.
/// </summary>
internal static class AccessAdmin
{
    public const string Prefix = "/__emulator/access";

    private static readonly string[] AppTypes = ["self_hosted", "saas", "ssh", "vnc", "app_launcher", "warp", "biso", "bookmark", "dash_sso"];

    public static async Task<ApiResponse> HandleAsync(HttpContext http, EmulatorState state)
    {
        var method = http.Request.Method;
        var segments = http.Request.Path.Value![Prefix.Length..].Trim('/').Split('/');
        try
        {
            switch (segments)
            {
                case ["apps"] when method == "GET":
                    lock (state.Gate)
                        return ApiResponse.Ok(new JsonArray(state.Access.Apps.Select(a => (JsonNode?)a.ToAdminJson()).ToArray()));
                case ["apps"] when method == "POST":
                    return CreateApp(state, await ReadBody(http));
                case ["apps", var id] when method == "DELETE":
                    lock (state.Gate)
                        return state.Access.RemoveApp(id) ? ApiResponse.Ok(new JsonObject { ["id"] = id }) : throw AppNotFound(id);
                case ["apps", var id, "policies"] when method == "PUT":
                    return ReplacePolicies(state, id, await ReadBody(http));
                case ["origin"] when method == "GET":
                    return ApiResponse.Ok(new JsonObject { ["base_url"] = $"{http.Request.Scheme}://{http.Request.Host}{AccessOrigin.Prefix}/" });
                case ["origin-requests"] when method == "GET":
                    lock (state.Gate)
                        return ApiResponse.Ok(new JsonArray(state.Access.Visits.Select(v => (JsonNode?)VisitJson(v)).ToArray()));
                case ["origin-requests"] when method == "DELETE":
                    lock (state.Gate)
                        state.Access.ClearVisits();
                    return ApiResponse.Ok(new JsonObject());
                case ["apps"] or ["apps", _] or ["apps", _, "policies"] or ["origin"] or ["origin-requests"]:
                    return ApiResponse.Fail(405, ErrorCodes.MethodNotAllowed, $"Method {method} not available for that URI.");
                default:
                    return ApiResponse.Fail(404, ErrorCodes.NoRoute, "No route for that URI");
            }
        }
        catch (ApiException e)
        {
            return e.ToResponse();
        }
    }

    private static ApiResponse CreateApp(EmulatorState state, JsonObject body)
    {
        var domain = Text(body, "domain") ?? throw Invalid("domain is required: \"host\" or \"host/path\"");
        var host = domain.Split('/', 2)[0];
        if (domain.Contains("://") || host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c == ':'))
            throw Invalid("domain must be \"host\" or \"host/path\" without scheme or port, e.g. app.example.com/admin");
        var type = Text(body, "type") ?? "self_hosted";
        if (!AppTypes.Contains(type))
            throw Invalid($"type must be one of {string.Join(", ", AppTypes)}");
        var sessionDuration = Text(body, "session_duration") ?? "24h";
        var strict = body["service_auth_401_redirect"] switch
        {
            null => true,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw Invalid("service_auth_401_redirect must be true or false"),
        };
        lock (state.Gate)
        {
            var now = state.Now;
            var app = new AccessApplication
            {
                Id = Guid.NewGuid().ToString(),
                Aud = AccessApplication.NewAud(),
                Name = Text(body, "name") ?? domain,
                Domain = domain,
                Type = type,
                SessionDuration = sessionDuration,
                CreatedAt = now,
                UpdatedAt = now,
                ServiceAuth401Redirect = strict,
                Policies = ParsePolicies(state, body["policies"], now),
            };
            state.Access.AddApp(app);
            return new ApiResponse { Status = 201, Result = app.ToAdminJson() };
        }
    }

    private static ApiResponse ReplacePolicies(EmulatorState state, string id, JsonObject body)
    {
        lock (state.Gate)
        {
            var app = state.Access.FindApp(id) ?? throw AppNotFound(id);
            if (body["policies"] is null)
                throw Invalid("policies is required (an array; [] leaves the application with none)");
            app.Policies = ParsePolicies(state, body["policies"], state.Now);
            app.UpdatedAt = state.Now;
            return ApiResponse.Ok(app.ToAdminJson());
        }
    }

    private static List<AccessPolicy> ParsePolicies(EmulatorState state, JsonNode? node, DateTimeOffset now)
    {
        if (node is null)
            return [];
        if (node is not JsonArray array)
            throw Invalid("policies must be an array");
        try
        {
            var policies = array.Select((p, i) => AccessPolicy.Parse(p, i + 1, now)).ToList();
            var unknown = policies.SelectMany(p => p.Include.Concat(p.Exclude).Concat(p.Require))
                .Where(r => r.Kind == AccessRule.ServiceTokenKind && state.Access.FindToken(r.TokenId!) is null)
                .Select(r => r.TokenId).FirstOrDefault();
            if (unknown is not null)
                throw Invalid($"service_token rule names '{unknown}', which is not the id of a service token of the account (use id, not client_id)");
            return policies;
        }
        catch (FormatException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static JsonObject VisitJson(AccessOriginVisit v) => new()
    {
        ["timestamp"] = v.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["method"] = v.Method,
        ["host"] = v.Host,
        ["path"] = v.Path,
        ["client_id"] = v.ClientId,
        ["secret_sent"] = v.SecretSent,
        ["status"] = v.Status,
        ["outcome"] = v.Outcome,
        ["reason"] = v.Reason,
        ["app_id"] = v.AppId,
        ["token_id"] = v.TokenId,
    };

    private static async Task<JsonObject> ReadBody(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
            return new JsonObject();
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw Invalid("body must be a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest(ErrorCodes.MalformedJson, "Malformed JSON in request body");
        }
    }

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) && s.Trim().Length > 0 => s.Trim(),
        _ => throw Invalid($"{name} must be a non-empty string"),
    };

    private static ApiException AppNotFound(string id) => new(404, ErrorCodes.AccessApplicationNotFound, $"No Access application '{id}'");

    private static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.InvalidBody, message);
}
