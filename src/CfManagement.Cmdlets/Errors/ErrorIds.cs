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

        // Pages.
        public const string InvalidPagesProjectName = "InvalidPagesProjectName";
        public const string InvalidPagesEnvironment = "InvalidPagesEnvironment";
        public const string InvalidPagesSource = "InvalidPagesSource";
        public const string InvalidBranchName = "InvalidBranchName";
        public const string PagesProjectNotFound = "PagesProjectNotFound";
        public const string PagesProjectNameTaken = "PagesProjectNameTaken";
        public const string PagesSecretNotFound = "PagesSecretNotFound";
        // Worker secrets and secret sets (Set/Sync/Remove-CfWorkerSecret; Pages secrets reuse the input ones).
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
        // Worker scripts, versions, deployments and tail consumers.
        public const string InvalidVersionId = "InvalidVersionId";
        public const string InvalidPercentage = "InvalidPercentage";
        public const string InvalidTrafficSplit = "InvalidTrafficSplit";
        public const string InvalidWorkerTag = "InvalidWorkerTag";
        public const string InvalidDeploymentMessage = "InvalidDeploymentMessage";
        public const string InvalidTailConsumer = "InvalidTailConsumer";
        public const string TrafficSplitUnresolved = "TrafficSplitUnresolved";
        public const string WorkerVersionNotFound = "WorkerVersionNotFound";
        // Publish-CfWorker: refused before the upload is sent.
        public const string WorkerConfigNotFound = "WorkerConfigNotFound";
        public const string WorkerConfigSyntax = "WorkerConfigSyntax";
        public const string WorkerConfigInvalid = "WorkerConfigInvalid";
        public const string WorkerConfigUnsupported = "WorkerConfigUnsupported";
        public const string WorkerEnvironmentNotFound = "WorkerEnvironmentNotFound";
        public const string WorkerMainNotFound = "WorkerMainNotFound";
        public const string WorkerModuleNotFound = "WorkerModuleNotFound";
        public const string WorkerModuleOutsideRoot = "WorkerModuleOutsideRoot";
        public const string WorkerModuleTypeUnsupported = "WorkerModuleTypeUnsupported";
        public const string WorkerBundleTooLarge = "WorkerBundleTooLarge";
        public const string InvalidCompatibilityDate = "InvalidCompatibilityDate";
        public const string InvalidWorkerBinding = "InvalidWorkerBinding";
        public const string DuplicateWorkerBinding = "DuplicateWorkerBinding";
        public const string InvalidVersionAnnotation = "InvalidVersionAnnotation";
        // Secrets Store.
        public const string InvalidSecretsStoreName = "InvalidSecretsStoreName";
        public const string InvalidSecretsStoreScope = "InvalidSecretsStoreScope";
        public const string InvalidSecretValue = "InvalidSecretValue";
        public const string InvalidComment = "InvalidComment";
        public const string SecretValueRequired = "SecretValueRequired";
        public const string SecretsStoreNotFound = "SecretsStoreNotFound";
        public const string SecretsStoreSecretNotFound = "SecretsStoreSecretNotFound";

        // CFMANAGEMENT_REHEARSAL_RATE_LIMIT (Connect-CfAccount; rehearsals and the benchmark against a scaled-down emulator).
        public const string InvalidRehearsalRateLimit = "InvalidRehearsalRateLimit";

        // Live tail (Start-CfTail, Get-CfTail, Stop-CfTail).
        public const string InvalidTailStatus = "InvalidTailStatus";
        public const string InvalidTailMethod = "InvalidTailMethod";
        public const string InvalidTailHeaderFilter = "InvalidTailHeaderFilter";
        public const string InvalidTailClientIp = "InvalidTailClientIp";
        public const string InvalidTailSearch = "InvalidTailSearch";
        public const string InvalidTailSamplingRate = "InvalidTailSamplingRate";
        public const string InvalidTailVersionId = "InvalidTailVersionId";
        public const string InvalidTailLimit = "InvalidTailLimit";
        public const string TailFailed = "TailFailed";
        public const string TailEventsDropped = "TailEventsDropped";
        // Start-CfTail -PagesProject.
        public const string NoSuccessfulPagesDeployment = "NoSuccessfulPagesDeployment";
        public const string TailEnvironmentWithoutPagesProject = "TailEnvironmentWithoutPagesProject";
        // Stop-CfTail -Id of a tail that expired or was stopped already.
        public const string TailNotFound = "TailNotFound";

        // CFMANAGEMENT_TAIL_PING_INTERVAL (Start-CfTail; rehearsing missing pongs against the emulator).
        public const string InvalidTailPingInterval = "InvalidTailPingInterval";

        // Access service tokens (Get-/New-/Set-/Update-/Remove-CfAccessServiceToken, Invoke-CfAccessServiceTokenRotate).
        public const string InvalidAccessServiceTokenId = "InvalidAccessServiceTokenId";
        public const string InvalidAccessDuration = "InvalidAccessDuration";
        public const string InvalidGracePeriod = "InvalidGracePeriod";
        public const string InvalidExpiringWithin = "InvalidExpiringWithin";
        public const string AccessServiceTokenNotFound = "AccessServiceTokenNotFound";
        public const string AccessServiceTokenNameAmbiguous = "AccessServiceTokenNameAmbiguous";
        public const string AccessServiceTokenNameTaken = "AccessServiceTokenNameTaken";
        public const string AccessServiceTokenCreateFailed = "AccessServiceTokenCreateFailed";

        // Test-CfAccessServiceToken: refused before any request (the secret goes to the given URL only).
        public const string InvalidUri = "InvalidUri";
        public const string InsecureUri = "InsecureUri";
        public const string InvalidTimeout = "InvalidTimeout";
        public const string MissingClientId = "MissingClientId";
        public const string InvalidClientId = "InvalidClientId";
        public const string MissingClientSecret = "MissingClientSecret";
        public const string InvalidClientSecret = "InvalidClientSecret";
        public const string AccessSecretNotFound = "AccessSecretNotFound";

        // GitHub Actions destinations (-GitHubEnv, -GitHubOutput): only inside an Actions step.
        public const string GitHubActionsRequired = "GitHubActionsRequired";

        // Connect-CfAccount -Vault/-SecretName: refused before any request (the management token read from a vault).
        public const string VaultNotFound = "VaultNotFound";
        public const string VaultTokenNotFound = "VaultTokenNotFound";
        public const string InvalidVaultToken = "InvalidVaultToken";


        // Staged rotation (Get-/Checkpoint-CfTokenRotation, Save-CfRescuedCredential, Set-CfGitHubActionsVariable, Invoke-CfTokenRotation).
        public const string RotationNotFound = "RotationNotFound";
        public const string RotationInProgress = "RotationInProgress";
        public const string RotationAlreadyCompleted = "RotationAlreadyCompleted";
        public const string InvalidRotationStage = "InvalidRotationStage";
        public const string RotationTextLooksLikeSecret = "RotationTextLooksLikeSecret";
        public const string RescuedCredentialNotFound = "RescuedCredentialNotFound";
        public const string InvalidRescuedCredential = "InvalidRescuedCredential";
        // Vault credential commands (Get-/Set-/Remove-CfVaultCredential) and the companion convention.
        public const string VaultCredentialNotFound = "VaultCredentialNotFound";
        public const string VaultCompanionName = "VaultCompanionName";
        public const string VaultReadFailed = "VaultReadFailed";
        public const string VaultWriteFailed = "VaultWriteFailed";
        public const string InvalidRevokedReason = "InvalidRevokedReason";
        public const string VaultChangeRequired = "VaultChangeRequired";
        // New-CfToken with a destination: the new token was withdrawn (deleted) for a reason other than a failed write.
        public const string TokenCreateFailed = "TokenCreateFailed";



        // The consumer map (Register-/Get-/Unregister-CfTokenConsumer): refused before any ledger write.
        public const string InvalidConsumerCredential = "InvalidConsumerCredential";
        public const string ConsumerCredentialIsCompanion = "ConsumerCredentialIsCompanion";
        public const string InvalidConsumerDestination = "InvalidConsumerDestination";
        public const string InvalidConsumerDescription = "InvalidConsumerDescription";
        public const string ConsumerLooksLikeSecret = "ConsumerLooksLikeSecret";
        public const string TokenConsumerNotFound = "TokenConsumerNotFound";
        // New-CfToken with a destination: the new token was withdrawn (deleted) for a reason other than a failed write.

        // Vault credential commands (Get-/Set-/Remove-CfVaultCredential) and the companion convention.

        // Remove-CfToken / Remove-CfAccessServiceToken -Reason (recorded in the ledger).
        public const string InvalidReason = "InvalidReason";

        // New-CfToken with a destination: the new token was withdrawn (deleted) for a reason other than a failed write.

    }
}
