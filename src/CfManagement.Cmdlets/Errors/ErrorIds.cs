namespace CfManagement.Errors
{
    /// <summary>
    /// Every ErrorId the module emits, in one place so they stay stable: scripts match on them
    /// (<c>$_.FullyQualifiedErrorId -like 'TokenNotFound,*'</c>).
    /// </summary>
    public static class ErrorIds
    {
        // Input validation: raised before any request is sent.
        public const string InvalidId = "InvalidId";
        public const string InvalidAccountId = "InvalidAccountId";
        public const string InvalidName = "InvalidName";
        public const string InvalidApiBaseUri = "InvalidApiBaseUri";
        public const string InvalidPermissionScope = "InvalidPermissionScope";
        public const string MissingApiToken = "MissingApiToken";
        public const string AccountIdRequired = "AccountIdRequired";

        // Session state.
        public const string NotConnected = "NotConnected";
        public const string SessionDisposed = "SessionDisposed";
        public const string TokenNotActive = "TokenNotActive";

        // Lookups.
        public const string TokenNotFound = "TokenNotFound";
        public const string PermissionGroupNotFound = "PermissionGroupNotFound";
        public const string PermissionGroupAmbiguous = "PermissionGroupAmbiguous";

        // Cloudflare API failures, by HTTP outcome.
        public const string ApiAuthenticationFailed = "ApiAuthenticationFailed";
        public const string ApiPermissionDenied = "ApiPermissionDenied";
        public const string ApiNotFound = "ApiNotFound";
        public const string ApiRateLimited = "ApiRateLimited";
        public const string ApiInvalidRequest = "ApiInvalidRequest";
        public const string ApiUnavailable = "ApiUnavailable";
        public const string ApiConnectionFailed = "ApiConnectionFailed";
        public const string ApiTimeout = "ApiTimeout";
        public const string ApiProtocolError = "ApiProtocolError";
    }
}
