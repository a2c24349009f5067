using System.Net;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Auth;

/// <summary>
/// Turns request headers into the calling token, or the error Cloudflare gives:
/// no credentials → 400 9106; Authorization not "Bearer &lt;token&gt;" → 400 6003 (+6111);
/// a token in X-Auth-Key → 400 6003 (+6103); other X-Auth-Key → 403 9103 (global keys aren't emulated);
/// unknown value → 401 9109; disabled/expired/not-yet-valid → 401 9109 unless the route reports status (verify).
/// </summary>
internal static class Authenticator
{
    public static (Token? Token, ApiResponse? Error) Authenticate(HttpRequest request, EmulatorState state, bool allowInactive)
    {
        var headers = request.Headers;
        if (!headers.ContainsKey("Authorization"))
            return (null, WithoutBearer(headers));

        var authorization = headers.Authorization;
        var value = authorization.Count == 1 ? ParseBearer(authorization[0] ?? "") : null;
        if (value is null)
            return (null, HeaderError(ErrorCodes.InvalidAuthorizationFormat, "Invalid format for Authorization header"));

        var token = state.FindTokenByValue(value);
        if (token is null || (!allowInactive && !token.IsUsable(state.Now)))
            return (null, InvalidToken());
        return (token, null);
    }

    /// <summary>IP filter from the token's condition: 403 10000 when the client address is not allowed.</summary>
    public static bool IpAllowed(Token token, IPAddress? remote)
    {
        if (token.Condition is not { } condition)
            return true;
        if (remote is null)
            return false;
        if (condition.NotIn.Any(cidr => Cidr.Contains(cidr, remote)))
            return false;
        return condition.In.Count == 0 || condition.In.Any(cidr => Cidr.Contains(cidr, remote));
    }

    public static ApiResponse InvalidToken() => ApiResponse.Fail(401, ErrorCodes.InvalidAccessToken, "Invalid access token");

    private static string? ParseBearer(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var value = header[scheme.Length..];
        return value.Length > 0 && Ids.IsTokenShaped(value) ? value : null;
    }

    private static ApiResponse WithoutBearer(IHeaderDictionary headers)
    {
        var key = headers["X-Auth-Key"].ToString();
        if (key.Length == 0)
            return ApiResponse.Fail(400, ErrorCodes.MissingCredentials, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        if (LooksLikeApiToken(key))
            return HeaderError(ErrorCodes.InvalidAuthKeyFormat, "Invalid format for X-Auth-Key header");
        return ApiResponse.Fail(403, ErrorCodes.UnknownAuthKey, "Unknown X-Auth-Key or X-Auth-Email");
    }

    // Global API keys are 37 lowercase hex characters (or cfk_ prefixed); tokens are cfut_/cfat_ or 40 url-safe characters.
    private static bool LooksLikeApiToken(string key) =>
        key.StartsWith(Ids.UserTokenPrefix, StringComparison.Ordinal)
        || key.StartsWith(Ids.AccountTokenPrefix, StringComparison.Ordinal)
        || (key.Length == 40 && Ids.IsTokenShaped(key));

    private static ApiResponse HeaderError(int chainCode, string chainMessage) =>
        ApiResponse.Fail(400, ErrorCodes.InvalidRequestHeaders, "Invalid request headers", [new ApiError(chainCode, chainMessage)]);
}
