using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Faults;

/// <summary>The error envelope an injected Status or RateLimit fault answers with.</summary>
internal static class FaultResponses
{
    public static ApiResponse For(FaultRule rule)
    {
        if (rule.Kind == FaultKind.RateLimit)
        {
            var limited = ApiResponse.Fail(429, ErrorCodes.RateLimited, "Please wait and consider throttling your request speed");
            limited.Headers["Retry-After"] = rule.RetryAfterSeconds.ToString();
            return limited;
        }

        var response = rule.StatusCode switch
        {
            401 => ApiResponse.Fail(401, ErrorCodes.InvalidAccessToken, "Invalid access token"),
            403 => ApiResponse.Fail(403, ErrorCodes.AuthenticationError, "Authentication error"),
            404 => ApiResponse.Fail(404, ErrorCodes.NoRoute, "No route for that URI"),
            429 => ApiResponse.Fail(429, ErrorCodes.RateLimited, "Please wait and consider throttling your request speed"),
            >= 500 => ApiResponse.Fail(rule.StatusCode, ErrorCodes.InternalError, "Internal server error"),
            _ => ApiResponse.Fail(rule.StatusCode, ErrorCodes.InvalidBody, "Bad request"),
        };
        if (rule.StatusCode is 429 or 503)
            response.Headers["Retry-After"] = rule.RetryAfterSeconds.ToString();
        return response;
    }
}
