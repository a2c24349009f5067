using System;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;

namespace CfManagement.Errors
{
    /// <summary>
    /// The one mapping from a failed Cloudflare call to an ErrorRecord: ErrorId and category by HTTP outcome,
    /// Cloudflare's codes and messages kept in the message and on the exception, a recommended action when the
    /// code tells us one.
    /// </summary>
    public static class ApiErrorMapper
    {
        public static ErrorRecord ToErrorRecord(CloudflareApiException ex, object? target, string? notFoundErrorId = null, string? notFoundAction = null)
        {
            var (errorId, category) = Classify(ex);
            if (errorId == ErrorIds.ApiNotFound && notFoundErrorId != null) errorId = notFoundErrorId;
            var record = new ErrorRecord(ex, errorId, category, target);
            var action = errorId == notFoundErrorId && notFoundAction != null ? notFoundAction : RecommendedAction(ex);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = action };
            return record;
        }

        public static (string ErrorId, ErrorCategory Category) Classify(CloudflareApiException ex)
        {
            switch (ex.Kind)
            {
                case ApiFailureKind.Connection: return (ErrorIds.ApiConnectionFailed, ErrorCategory.ConnectionError);
                case ApiFailureKind.Timeout: return (ErrorIds.ApiTimeout, ErrorCategory.OperationTimeout);
                case ApiFailureKind.Protocol: return (ErrorIds.ApiProtocolError, ErrorCategory.ProtocolError);
                case ApiFailureKind.RateLimited: return (ErrorIds.ApiRateLimited, ErrorCategory.LimitsExceeded);
            }
            var status = ex.StatusCode.HasValue ? (int)ex.StatusCode.Value : 0;
            if (status == 401) return (ErrorIds.ApiAuthenticationFailed, ErrorCategory.AuthenticationError);
            if (status == 403) return (ErrorIds.ApiPermissionDenied, ErrorCategory.PermissionDenied);
            if (status == 404) return (ErrorIds.ApiNotFound, ErrorCategory.ObjectNotFound);
            if (status == 429) return (ErrorIds.ApiRateLimited, ErrorCategory.LimitsExceeded);
            if (status >= 500) return (ErrorIds.ApiUnavailable, ErrorCategory.ResourceUnavailable);
            return (ErrorIds.ApiInvalidRequest, ErrorCategory.InvalidArgument);
        }

        private static string RecommendedAction(CloudflareApiException ex)
        {
            if (ex.HasCode(10001))
                return "This endpoint accepts only user-owned tokens; account-owned (cfat_) tokens use the /accounts/{id}/tokens endpoints. Use -Scope Account or connect with a user token.";
            if (ex.HasCode(1001))
                return "Account-owned tokens cannot list accounts. Pass -AccountId to Connect-CfAccount.";
            if (ex.HasCode(9106) || ex.HasCode(6003))
                return "The request carried no usable credentials. Reconnect with Connect-CfAccount -ApiToken (a SecureString) or set CLOUDFLARE_API_TOKEN.";
            if (ex.HasCode(9109) && ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 403)
                return "The token lacks the permission this call needs (Cloudflare answers 9109 here). Check it with Test-CfToken and add the permission group, e.g. 'API Tokens Read'.";
            if (ex.Kind == ApiFailureKind.RateLimited)
                return $"Nothing was sent. Retry after {Math.Ceiling((ex.RetryAfter ?? TimeSpan.Zero).TotalSeconds)} seconds, or connect with a larger -MaxRetryWaitSeconds to wait for the turn.";
            var status = ex.StatusCode.HasValue ? (int)ex.StatusCode.Value : 0;
            switch (status)
            {
                case 401: return "The token is invalid, expired, disabled or was rolled. Run Test-CfToken, then reconnect with a valid token.";
                case 403: return "The token is valid but lacks a permission for this call, its IP filter does not match, or it belongs to another account. Compare its policies with Get-CfToken.";
                case 429:
                    return ex.RetryAfter.HasValue
                        ? $"Cloudflare's rate limit (1200 requests per 5 minutes) was exceeded. Retry after {Math.Ceiling(ex.RetryAfter.Value.TotalSeconds)} seconds."
                        : "Cloudflare's rate limit (1200 requests per 5 minutes) was exceeded. Wait, then retry.";
            }
            if (status >= 500) return "Cloudflare is having trouble; the call was retried where it was safe to. Try again later (see https://www.cloudflarestatus.com).";
            if (ex.Kind == ApiFailureKind.Connection) return "Check the network and -ApiBaseUri, then retry.";
            if (ex.Kind == ApiFailureKind.Timeout) return "Cloudflare did not answer in time; retry.";
            return ex.Errors.Count > 0 ? $"Correct the request: {string.Join("; ", ex.Errors.Select(e => e.Message))}" : "Correct the request and retry.";
        }
    }
}
