using CfManagement.Api;

namespace CfManagement.Access
{
    /// <summary>What a failed issuing call (create, rotate) says about whether Cloudflare acted on it.</summary>
    internal static class AccessApiOutcome
    {
        /// <summary>
        /// True when the request may have been processed although no answer came back: a reset, a timeout, a 5xx, or an
        /// answer we could not read. False for a refusal (4xx, 429) or a request never sent (client-side rate limit).
        /// </summary>
        public static bool MayHaveHappened(CloudflareApiException ex)
        {
            switch (ex.Kind)
            {
                case ApiFailureKind.Connection:
                case ApiFailureKind.Timeout:
                case ApiFailureKind.Protocol:
                    return true;
                case ApiFailureKind.RateLimited:
                    return false;
            }
            return ex.StatusCode.HasValue && (int)ex.StatusCode.Value >= 500;
        }

        public static bool IsNotFound(CloudflareApiException ex) => ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404;
    }
}
