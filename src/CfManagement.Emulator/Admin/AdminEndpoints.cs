using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Faults;
using CfManagement.Emulator.Recording;

namespace CfManagement.Emulator.Admin;

/// <summary>
/// Out-of-process control, no authentication (loopback only): POST/GET/DELETE /__emulator/faults,
/// POST /__emulator/reset (seed, faults, request log, rate limits), GET /__emulator/requests,
/// GET/POST /__emulator/ratelimit (the policy, e.g. {"requests":60,"windowSeconds":10}, and the count of 429s it gave), and
/// POST /__emulator/tokens (a token of another user, as the dashboard would make it: the only way an out-of-process
/// test gets a second identity, e.g. to stand behind Cloudflare's visibility wall),
/// POST /__emulator/tokens/{id}/status ({"status": "revoked (exposed)"}: what secret scanning does to a leaked token;
/// also active, disabled, expired), and
/// GET/POST /__emulator/workers/secrets-bulk-limit ({"limit": N}: the most secrets one secrets-bulk PATCH may carry,
/// more is 400 100160; back to EmulatorOptions.WorkerSecretsBulkLimit, default 100, on reset),
/// POST /__emulator/workers/versions ({"script": "api-worker", "deploy": false}: a copy of the script's latest version as
/// a new version, not deployed unless "deploy" is true → {"id", "number"}; unknown script 404 10007), and
/// GET /__emulator/workers/{script} ({versions: [{id, number}] oldest first, deployment: {VERSION_ID: percentage}}). A script "being
/// modified" (secrets-bulk answering 429) is an injected fault: POST /__emulator/faults
/// {"method":"PATCH","pathContains":"/secrets-bulk","kind":"Status","statusCode":429,"times":N}.
/// Live tails: /__emulator/tails/... (see Tail.TailAdmin).
/// Access applications and the protected origin: /__emulator/access/... (see Access.AccessAdmin).
/// Answers use the same envelope as the API. Admin requests are not recorded.
/// </summary>
internal sealed class AdminEndpoints(EmulatorState state, FaultInjector faults, RequestLog log)
{
    public const string Prefix = "/__emulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The JSON accepted by POST /__emulator/faults (camelCase or any casing; delay as "00:00:02" or delayMs).</summary>
    private sealed record FaultRuleBody(string? Method, string? PathContains, FaultKind Kind, int? StatusCode,
        int? RetryAfterSeconds, TimeSpan? Delay, int? DelayMs, int? Times);

    /// <summary>
    /// The JSON accepted by POST /__emulator/tokens: owner "User" (default) or "Account", the user it belongs to or
    /// was created by (default the admin), and permission-group names ("Name", or "com.cloudflare.api.account.zone:Name"
    /// with the full scope when a name repeats across scopes).
    /// </summary>
    private sealed record RateLimitBody(int Requests, double WindowSeconds);

    private sealed record BulkLimitBody(int Limit);

    private sealed record WorkerVersionBody(string Script, bool? Deploy);

    private sealed record TokenStatusBody(string Status);

    private sealed record TokenBody(string Name, string? Owner, string? UserEmail, string[]? PermissionGroups, DateTimeOffset? ExpiresOn);

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments(Tail.TailAdmin.Prefix))
        {
            await EnvelopeWriter.WriteAsync(http, await Tail.TailAdmin.HandleAsync(http, state));
            return;
        }
        if (http.Request.Path.StartsWithSegments(Access.AccessAdmin.Prefix))
        {
            await EnvelopeWriter.WriteAsync(http, await Access.AccessAdmin.HandleAsync(http, state));
            return;
        }
        var route = (http.Request.Method, http.Request.Path.Value);
        var response = route switch
        {
            ("POST", Prefix + "/faults") => await AddFault(http),
            ("GET", Prefix + "/faults") => ApiResponse.Ok(JsonSerializer.SerializeToNode(faults.Rules.Select(Describe), Json)),
            ("DELETE", Prefix + "/faults") => Done(faults.Clear),
            ("POST", Prefix + "/reset") => Done(() => { state.Reset(); faults.Clear(); log.Clear(); }),
            ("GET", Prefix + "/requests") => ApiResponse.Ok(JsonSerializer.SerializeToNode(log.Snapshot(), Json)),
            ("POST", Prefix + "/tokens") => await AddToken(http),
            ("POST", var statusPath) when statusPath?.StartsWith(Prefix + "/tokens/", StringComparison.Ordinal) == true
                && statusPath.EndsWith("/status", StringComparison.Ordinal) => await SetTokenStatus(http, statusPath[(Prefix + "/tokens/").Length..^"/status".Length]),
            ("GET", Prefix + "/ratelimit") => RateLimit(),
            ("POST", Prefix + "/ratelimit") => await SetRateLimit(http),
            ("GET", Prefix + "/workers/secrets-bulk-limit") => BulkLimit(),
            ("POST", Prefix + "/workers/secrets-bulk-limit") => await SetBulkLimit(http),
            ("POST", Prefix + "/workers/versions") => await AddWorkerVersion(http),
            ("GET", var path) when path?.StartsWith(Prefix + "/workers/", StringComparison.Ordinal) == true
                && !path.EndsWith("/secrets-bulk-limit", StringComparison.Ordinal) => WorkerSummary(Uri.UnescapeDataString(path[(Prefix + "/workers/").Length..])),
            _ => ApiResponse.Fail(404, ErrorCodes.NoRoute, "No route for that URI"),
        };
        await EnvelopeWriter.WriteAsync(http, response);
    }

    private async Task<ApiResponse> AddFault(HttpContext http)
    {
        FaultRuleBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<FaultRuleBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null)
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be a JSON object");

        var rule = new FaultRule
        {
            Method = body.Method,
            PathContains = body.PathContains,
            Kind = body.Kind,
            StatusCode = body.StatusCode ?? 503,
            RetryAfterSeconds = body.RetryAfterSeconds ?? 1,
            Delay = body.Delay ?? TimeSpan.FromMilliseconds(body.DelayMs ?? 0),
            Times = body.Times ?? 1,
        };
        try
        {
            faults.Add(rule);
        }
        catch (ArgumentException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, e.Message);
        }
        return ApiResponse.Ok(JsonSerializer.SerializeToNode(Describe(rule), Json));
    }

    private async Task<ApiResponse> AddToken(HttpContext http)
    {
        TokenBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<TokenBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Name))
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be a JSON object with a name");
        try
        {
            var groups = (body.PermissionGroups ?? []).Select(n =>
            {
                var colon = n.IndexOf(':');
                return colon > 0 ? state.PermissionGroupId(n[(colon + 1)..], n[..colon]) : state.PermissionGroupId(n);
            }).ToList();
            var email = body.UserEmail ?? state.AdminUserEmail;
            var (id, value) = string.Equals(body.Owner, "Account", StringComparison.OrdinalIgnoreCase)
                ? state.AddAccountToken(email, body.Name, groups, expiresOn: body.ExpiresOn)
                : state.AddUserToken(email, body.Name, groups, expiresOn: body.ExpiresOn);
            return ApiResponse.Ok(new JsonObject { ["id"] = id, ["value"] = value });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, e.Message);
        }
    }

    /// <summary>
    /// POST /__emulator/tokens/{id}/status {"status": "revoked (exposed)"}: sets a token's stored status as Cloudflare
    /// itself would (secret scanning revoking a leaked token; a disabled token): any of active, disabled, expired,
    /// "revoked (exposed)". Answers {id, status}; unknown token or status 400.
    /// </summary>
    private async Task<ApiResponse> SetTokenStatus(HttpContext http, string id)
    {
        TokenStatusBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<TokenStatusBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null || string.IsNullOrEmpty(body.Status))
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be {\"status\": \"revoked (exposed)\"} (or active, disabled, expired)");
        try
        {
            state.SetTokenStatus(Uri.UnescapeDataString(id), body.Status);
        }
        catch (ArgumentException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, e.Message);
        }
        return ApiResponse.Ok(new JsonObject { ["id"] = id, ["status"] = body.Status });
    }

    private ApiResponse RateLimit() => ApiResponse.Ok(new JsonObject
    {
        ["requests"] = state.RateLimiter.Limit,
        ["windowSeconds"] = state.RateLimiter.WindowSeconds,
        ["refused"] = state.RateLimiter.Refused,
    });

    private async Task<ApiResponse> SetRateLimit(HttpContext http)
    {
        RateLimitBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RateLimitBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null)
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be a JSON object");
        try
        {
            state.RateLimiter.SetPolicy(body.Requests, TimeSpan.FromSeconds(body.WindowSeconds));
        }
        catch (ArgumentException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, e.Message);
        }
        return RateLimit();
    }

    private async Task<ApiResponse> AddWorkerVersion(HttpContext http)
    {
        WorkerVersionBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<WorkerVersionBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null || string.IsNullOrEmpty(body.Script))
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be {\"script\": NAME, \"deploy\": false}");
        lock (state.Gate)
        {
            if (state.Workers.Find(body.Script) is not { } script)
                return ApiResponse.Fail(404, ErrorCodes.WorkerScriptNotFound, "workers.api.error.script_not_found");
            var version = state.Workers.AddCopyOfLatest(script, body.Deploy == true, state.Now);
            return ApiResponse.Ok(new JsonObject { ["id"] = version.Id, ["number"] = version.Number });
        }
    }

    private ApiResponse WorkerSummary(string name)
    {
        lock (state.Gate)
        {
            if (state.Workers.Find(name) is not { } script)
                return ApiResponse.Fail(404, ErrorCodes.WorkerScriptNotFound, "workers.api.error.script_not_found");
            var deployment = new JsonObject();
            foreach (var split in script.CurrentDeployment?.Versions ?? [])
                deployment[split.VersionId] = split.Percentage;
            return ApiResponse.Ok(new JsonObject
            {
                ["versions"] = new JsonArray(script.Versions.Select(v => (JsonNode?)new JsonObject { ["id"] = v.Id, ["number"] = v.Number }).ToArray()),
                ["deployment"] = deployment,
            });
        }
    }

    private ApiResponse BulkLimit()
    {
        lock (state.Gate)
            return ApiResponse.Ok(new JsonObject { ["limit"] = state.Workers.SecretsBulkLimit });
    }

    private async Task<ApiResponse> SetBulkLimit(HttpContext http)
    {
        BulkLimitBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<BulkLimitBody>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResponse.Fail(400, ErrorCodes.MalformedJson, "Malformed JSON in request body: " + e.Message);
        }
        if (body is null || body.Limit < 1)
            return ApiResponse.Fail(400, ErrorCodes.InvalidBody, "Request body must be {\"limit\": N} with N at least 1");
        lock (state.Gate)
            state.Workers.SecretsBulkLimit = body.Limit;
        return BulkLimit();
    }

    private static object Describe(FaultRule rule) => new
    {
        rule.Method, rule.PathContains, Kind = rule.Kind.ToString(), rule.StatusCode, rule.RetryAfterSeconds,
        DelayMs = (int)rule.Delay.TotalMilliseconds, rule.Times, rule.Hits,
    };

    private static ApiResponse Done(Action action)
    {
        action();
        return ApiResponse.Ok(new JsonObject { ["ok"] = true });
    }
}
