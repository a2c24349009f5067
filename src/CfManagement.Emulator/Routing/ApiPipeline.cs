using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Faults;
using CfManagement.Emulator.Recording;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Routing;

/// <summary>
/// Handles one /client/v4 request, in this order: record it (Worker secret text redacted); apply an injected fault; route
/// (404 7000, 405 7001, 400 7003 for a malformed id); authenticate; count it against the token's rate
/// limit (429 971); refuse account tokens on user-only routes (401 10001); check the IP condition
/// (403 10000); run the handler. Authentication to handler run under the state's gate.
/// </summary>
internal sealed class ApiPipeline(EmulatorState state, EmulatorOptions options, FaultInjector faults, RequestLog log)
{
    public const string Prefix = "/client/v4";

    private static readonly HashSet<string> HexIdRouteValues = ["account_id", "token_id", "zone_id"];

    private readonly RouteTable _routes = ApiRoutes.Build();

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        log.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            SecretRedactor.ForLog(request.Path.Value ?? "", request.ContentType, body), request.Headers.ContainsKey("Authorization"), state.Now));

        if (faults.Take(request.Method, request.Path.Value ?? "") is { } fault)
        {
            if (fault.Kind == FaultKind.ResetAfterProcessing)
            {
                Dispatch(http, body); // the change happens; its answer is never sent
                http.Abort();
                return;
            }
            if (await FaultAnswer.ApplyAsync(http, fault))
                return;
        }

        await EnvelopeWriter.WriteAsync(http, Dispatch(http, body));
    }

    private ApiResponse Dispatch(HttpContext http, byte[] body)
    {
        var path = http.Request.Path.Value ?? "";
        var relative = path.StartsWith(Prefix + "/", StringComparison.Ordinal) ? path[Prefix.Length..] : null;
        var match = relative is null ? null : _routes.Match(http.Request.Method, relative);
        if (match?.Route is not { } route)
        {
            return match is { PathExistsForOtherMethod: true }
                ? ApiResponse.Fail(405, ErrorCodes.MethodNotAllowed, $"Method {http.Request.Method} not available for that URI.")
                : ApiResponse.Fail(404, ErrorCodes.NoRoute, "No route for that URI");
        }

        foreach (var (name, value) in match.Values)
        {
            var valid = name == "database_id" ? Ids.IsUuid(value) : !HexIdRouteValues.Contains(name) || Ids.IsHexId(value);
            if (!valid)
                return ApiResponse.Fail(400, ErrorCodes.InvalidObjectIdentifier, $"Could not route to {path}, perhaps your object identifier is invalid?");
        }

        lock (state.Gate)
        {
            var (token, error) = Authenticator.Authenticate(http.Request, state, route.AllowsInactiveToken);
            if (token is null)
                return error!;

            var rate = state.RateLimiter.Count(token.Value);
            var response = Authorized(http, route, match.Values, token, body, rate.Allowed);
            response.Headers["Ratelimit"] = $"\"default\";r={rate.Remaining};t={rate.ResetSeconds}";
            response.Headers["Ratelimit-Policy"] = $"\"default\";q={state.RateLimiter.Limit};w={state.RateLimiter.WindowSeconds}";
            if (!rate.Allowed)
                response.Headers["Retry-After"] = rate.RetryAfterSeconds.ToString();
            return response;
        }
    }

    private ApiResponse Authorized(HttpContext http, Route route, IReadOnlyDictionary<string, string> values, Token token, byte[] body, bool withinRateLimit)
    {
        if (!withinRateLimit)
            return ApiResponse.Fail(429, ErrorCodes.RateLimited, "Please wait and consider throttling your request speed");
        if (route.UserTokensOnly && token.Owner == TokenOwnerKind.Account)
            return ApiResponse.Fail(401, ErrorCodes.AccountTokenOnUserEndpoint, "Unable to authenticate request: account-owned tokens cannot use user endpoints");
        if (!Authenticator.IpAllowed(token, http.Connection.RemoteIpAddress))
            return ApiResponse.Fail(403, ErrorCodes.AuthenticationError, "Authentication error");

        token.LastUsedOn = state.Now;
        try
        {
            return route.Handler(new ApiContext(http, state, options, token, values, body));
        }
        catch (ApiException e)
        {
            return e.ToResponse();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An emulator bug: answer like Cloudflare's generic 500 but keep the reason visible.
            return ApiResponse.Fail(500, ErrorCodes.InternalError, "Internal server error: " + e.GetType().Name + ": " + e.Message);
        }
    }
}
