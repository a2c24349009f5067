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
        public const string InvalidTtl = "InvalidTtl";
        public const string InvalidExpiry = "InvalidExpiry";
        public const string InvalidNotBefore = "InvalidNotBefore";
        public const string InvalidCidr = "InvalidCidr";
        public const string ConflictingParameters = "ConflictingParameters";
        public const string MissingPermissionGroup = "MissingPermissionGroup";
        public const string ZoneRequired = "ZoneRequired";
        public const string PermissionGroupScopeMismatch = "PermissionGroupScopeMismatch";
        public const string InvalidSecretName = "InvalidSecretName";
        public const string InvalidScriptName = "InvalidScriptName";
        public const string InvalidPurpose = "InvalidPurpose";
        public const string NothingToChange = "NothingToChange";
        public const string InvalidWildcardPattern = "InvalidWildcardPattern";
        public const string InvalidTokenValue = "InvalidTokenValue";
        public const string InvalidLedgerPath = "InvalidLedgerPath";
        public const string LedgerNotFound = "LedgerNotFound";
        public const string InvalidOperationId = "InvalidOperationId";
        public const string PurposeLooksLikeSecret = "PurposeLooksLikeSecret";

        // Session state.
        public const string NotConnected = "NotConnected";
        public const string SessionDisposed = "SessionDisposed";
        public const string TokenNotActive = "TokenNotActive";

        // Lookups.
        public const string TokenNotFound = "TokenNotFound";
        public const string PermissionGroupNotFound = "PermissionGroupNotFound";
        public const string PermissionGroupAmbiguous = "PermissionGroupAmbiguous";
        public const string ZoneNotFound = "ZoneNotFound";
        public const string TokenNotVisible = "TokenNotVisible";
        public const string TokenNameAmbiguous = "TokenNameAmbiguous";
        public const string UserIdUnavailable = "UserIdUnavailable";

        // Token lifecycle.
        public const string DestinationWriteFailed = "DestinationWriteFailed";
        public const string SecretManagementUnavailable = "SecretManagementUnavailable";
        public const string RollbackFailed = "RollbackFailed";
        public const string LedgerUnavailable = "LedgerUnavailable";
        public const string ManagedTokenRolledBack = "ManagedTokenRolledBack";
        public const string CleanupStepFailed = "CleanupStepFailed";
        public const string InvalidHealthProfile = "InvalidHealthProfile";
        public const string RepairFailed = "RepairFailed";

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

        // Worker secrets and secret sets (Set/Sync/Remove-CfWorkerSecret; Pages secrets reuse the input ones).
        public const string InvalidWorkerScriptName = "InvalidWorkerScriptName";
        public const string DuplicateSecretName = "DuplicateSecretName";
        public const string EmptySecretValue = "EmptySecretValue";
        public const string SecretValueTooLarge = "SecretValueTooLarge";
        public const string InvalidSecretInput = "InvalidSecretInput";
        public const string SecretFileNotFound = "SecretFileNotFound";
        public const string SecretFileSyntaxError = "SecretFileSyntaxError";
        public const string WorkerScriptNotFound = "WorkerScriptNotFound";
        public const string WorkerSecretNotFound = "WorkerSecretNotFound";
        public const string WorkerSecretNeedsNewVersion = "WorkerSecretNeedsNewVersion";
        public const string WorkerHasNoVersion = "WorkerHasNoVersion";
        public const string SecretChangeFailed = "SecretChangeFailed";

        // CFMANAGEMENT_REHEARSAL_RATE_LIMIT (Connect-CfAccount; rehearsals and the benchmark against a scaled-down emulator).
        public const string InvalidRehearsalRateLimit = "InvalidRehearsalRateLimit";
    }
}
