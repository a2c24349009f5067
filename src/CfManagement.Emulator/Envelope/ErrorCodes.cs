namespace CfManagement.Emulator;

/// <summary>
/// Every Cloudflare error code the emulator emits, in one place.
/// Codes marked "seen" are documented in API-FACTS.md or observed on the real API;
/// codes marked "chosen" are plausible stand-ins picked for this emulator (the real API's exact
/// code for that case is not publicly documented). Clients should not depend on the chosen ones.
/// </summary>
public static class ErrorCodes
{
    // ---- Routing (seen) ----
    /// <summary>404: no route matches the path.</summary>
    public const int NoRoute = 7000;
    /// <summary>405: the path exists but not for this method (seen: "Method X not available for that URI.").</summary>
    public const int MethodNotAllowed = 7001;
    /// <summary>400: an identifier in the path is not of the right shape (token/account/zone id not 32 hex).</summary>
    public const int InvalidObjectIdentifier = 7003;

    // ---- Authentication (seen) ----
    /// <summary>400: none of Authorization / X-Auth-Key / X-Auth-Email was sent.</summary>
    public const int MissingCredentials = 9106;
    /// <summary>400: request headers are invalid; details in error_chain (6111 / 6103).</summary>
    public const int InvalidRequestHeaders = 6003;
    /// <summary>error_chain entry: Authorization is not "Bearer &lt;token&gt;".</summary>
    public const int InvalidAuthorizationFormat = 6111;
    /// <summary>error_chain entry: an API token was sent as X-Auth-Key.</summary>
    public const int InvalidAuthKeyFormat = 6103;
    /// <summary>403 (chosen message): X-Auth-Key + X-Auth-Email global keys are not emulated, so every key is unknown.</summary>
    public const int UnknownAuthKey = 9103;
    /// <summary>401: unknown, disabled, expired, not-yet-valid, rolled or deleted token.
    /// Also 403 on permission_groups for a token lacking API Tokens Read (seen in the runbook seed).</summary>
    public const int InvalidAccessToken = 9109;
    /// <summary>403: valid token lacking the permission, IP filter mismatch, or wrong account.
    /// Also the verify endpoint's "valid and active" message code.</summary>
    public const int AuthenticationError = 10000;
    /// <summary>401: account-owned token on a user-only endpoint (/user, /user/tokens*).</summary>
    public const int AccountTokenOnUserEndpoint = 10001;
    /// <summary>403: account-owned token on GET /accounts.</summary>
    public const int AccountTokenOnAccountsList = 1001;

    // ---- Objects (chosen) ----
    /// <summary>404: well-formed but unknown or invisible token id (chosen; real API answers 404 here).</summary>
    public const int TokenNotFound = 1003;
    // Unknown zone ids answer InvalidObjectIdentifier (7003); zones the token cannot see, AuthenticationError (10000).

    // ---- Request body (seen) ----
    /// <summary>400: the body is not valid JSON.</summary>
    public const int MalformedJson = 6007;

    // ---- Validation (all chosen, 400) ----
    /// <summary>Body is JSON but not an object.</summary>
    public const int InvalidBody = 1100;
    /// <summary>name missing, empty or not a string.</summary>
    public const int NameRequired = 1101;
    /// <summary>name longer than 120 characters.</summary>
    public const int NameTooLong = 1102;
    /// <summary>policies missing, not an array, or empty.</summary>
    public const int PoliciesRequired = 1103;
    /// <summary>policy effect not allow|deny.</summary>
    public const int InvalidPolicyEffect = 1104;
    /// <summary>permission_groups missing/empty, or an id that is not a known 32-hex permission group.</summary>
    public const int InvalidPermissionGroup = 1105;
    /// <summary>resources missing/empty or a key/value of the wrong shape.</summary>
    public const int InvalidResources = 1106;
    /// <summary>expires_on not RFC 3339.</summary>
    public const int InvalidExpiresOn = 1107;
    /// <summary>not_before not RFC 3339.</summary>
    public const int InvalidNotBefore = 1108;
    /// <summary>expires_on is not after not_before.</summary>
    public const int ExpiresBeforeNotBefore = 1109;
    /// <summary>expires_on is in the past.</summary>
    public const int ExpiresInPast = 1110;
    /// <summary>condition.request_ip.in / not_in holds something that is not an IP or CIDR.</summary>
    public const int InvalidCidr = 1111;
    /// <summary>status is not active|disabled (or the token's current status).</summary>
    public const int InvalidStatus = 1112;
    /// <summary>a user-scoped permission group on an account-owned token.</summary>
    public const int UserScopeOnAccountToken = 1113;
    /// <summary>token quota reached: "exceeded maximum number of tokens".</summary>
    public const int TokenQuotaExceeded = 1114;
    /// <summary>page / per_page / direction / include_expired not acceptable.</summary>
    public const int InvalidPaging = 1115;
    /// <summary>generic required-field error (D1 name/sql...).</summary>
    public const int FieldRequired = 1116;
    /// <summary>415: Content-Type not accepted (Worker secrets-bulk wants application/merge-patch+json or application/json).</summary>
    public const int UnsupportedContentType = 1117;

    // ---- Rate limit (seen) ----
    /// <summary>429: "Please wait and consider throttling your request speed".</summary>
    public const int RateLimited = 971;

    // ---- Faults (chosen) ----
    /// <summary>5xx injected by FaultKind.Status.</summary>
    public const int InternalError = 10013;

    // ---- D1 (7500 seen for SQL errors; others chosen) ----
    /// <summary>400: SQLite rejected the statement; message is SQLite's.</summary>
    public const int D1SqlError = 7500;
    /// <summary>400: a database with that name already exists.</summary>
    public const int D1DuplicateName = 7502;
    /// <summary>404: unknown database uuid.</summary>
    public const int D1NotFound = 7404;

    // ---- Workers (seen; see API-FACTS.md and public wrangler issue threads) ----
    /// <summary>404: the Worker script does not exist ("workers.api.error.script_not_found").</summary>
    public const int WorkerScriptNotFound = 10007;
    /// <summary>404: the script has no secret (binding) of that name ("workers.api.error.binding_not_found";
    /// wrangler shows "Binding 'X' not found.").</summary>
    public const int WorkerBindingNotFound = 10056;
    /// <summary>400: invalid secret body: name empty, longer than 255 or not [A-Za-z_][A-Za-z0-9_]*, text
    /// missing, type not secret_text, bulk entry malformed. Seen for invalid bindings; whether Cloudflare
    /// uses it for each of these cases is not public (chosen for them).</summary>
    public const int WorkerInvalidBinding = 10021;
    /// <summary>400: secrets-bulk with more secrets in one request than the limit (EmulatorOptions.WorkerSecretsBulkLimit, default 100).</summary>
    public const int WorkerSecretsBulkTooMany = 100160;

    // ---- Workers platform (seen in API-FACTS.md unless marked chosen) ----
    /// <summary>400: an upload whose body is not multipart/form-data, is malformed, or whose metadata is not JSON.</summary>
    public const int WorkerUploadUnparseable = 10006;
    /// <summary>400: the uploaded code is larger than the limit (10 MiB here).</summary>
    public const int WorkerScriptTooLarge = 10027;
    /// <summary>400: version upload with ?bindings_inherit=strict and an inherit binding naming nothing ("inherit binding 'NAME' is invalid").</summary>
    public const int WorkerInvalidInherit = 10057;
    /// <summary>404: GET /workers/services/{name} for a Worker that does not exist (wrangler: "new Worker").</summary>
    public const int WorkerServiceNotFound = 10090;
    /// <summary>400: a /settings PATCH (or a secrets-bulk during a gradual deployment) while the latest version is not fully deployed.</summary>
    public const int WorkerSettingsLatestNotDeployed = 10214;
    /// <summary>400: a secret edit while the latest version is not the one deployed at 100%.</summary>
    public const int WorkerSecretLatestNotDeployed = 10215;
    /// <summary>400: a deployment of a version older than a secret change, without ?force=true (wrangler's CANNOT_ROLLBACK_WITH_MODIFIED_SECERT_CODE).</summary>
    public const int WorkerRollbackSecretChanged = 10220;
    /// <summary>404: PATCH .../versions/latest on a Worker with no versions.</summary>
    public const int WorkerNoVersions = 10222;
    /// <summary>404 (chosen): a version id the script does not have.</summary>
    public const int WorkerVersionNotFound = 10235;
    /// <summary>400: a two-version deployment whose versions declare different exports.</summary>
    public const int WorkerDeploymentExportsDiffer = 100405;
    // ---- Secrets Store (all chosen: Cloudflare publishes no codes for it; see SecretsStore/SecretsStoreRoutes) ----
    /// <summary>404: no store with that id.</summary>
    public const int SecretsStoreNotFound = 1600;
    /// <summary>404: no secret with that id in the store.</summary>
    public const int SecretsStoreSecretNotFound = 1601;
    /// <summary>400: invalid secret body (name, value, scopes, comment, body shape).</summary>
    public const int SecretsStoreInvalidSecret = 1602;
    /// <summary>409: a secret of that name is already in the store.</summary>
    public const int SecretsStoreDuplicateSecret = 1603;
    /// <summary>400: the account's secret quota would be exceeded.</summary>
    public const int SecretsStoreQuotaExceeded = 1604;
    /// <summary>400: invalid store body (name).</summary>
    public const int SecretsStoreInvalidStore = 1605;
    /// <summary>409: a store of that name exists.</summary>
    public const int SecretsStoreDuplicateStore = 1606;
    /// <summary>409: the account already has as many stores as it may (one in the open beta).</summary>
    public const int SecretsStoreLimitReached = 1607;
    /// <summary>409: deleting a store that still holds secrets, without force=true.</summary>
    public const int SecretsStoreNotEmpty = 1608;
    // ---- Pages (8000007 seen in wrangler's pages secret; the others chosen) ----
    /// <summary>404: no Pages project of that name ("Project not found...").</summary>
    public const int PagesProjectNotFound = 8000007;
    /// <summary>409: a Pages project with that name already exists (chosen).</summary>
    public const int PagesProjectNameTaken = 8000002;
    /// <summary>400: an invalid project body or query; the message names the field (chosen).</summary>
    public const int PagesInvalidBody = 8000000;
    // ---- Live tails (10057 seen in wrangler; the others chosen) ----
    /// <summary>400: the Worker gets too much traffic to be tailed without a (lower) sampling_rate.</summary>
    public const int TailTooMuchTraffic = 10057;
    /// <summary>404: no tail with that id on that script or deployment (chosen).</summary>
    public const int TailNotFound = 10011;
    /// <summary>404: no deployment with that id in the Pages project (chosen).</summary>
    public const int PagesDeploymentNotFound = 8000009;
    // ---- Access (12139 seen; 12002's message seen in Cloudflare's docs, its number chosen; the others chosen) ----
    /// <summary>404: no service token with that id in the account ("access.api.error.service_token_not_found").</summary>
    public const int AccessServiceTokenNotFound = 12002;
    /// <summary>400: an invalid service-token body (name, enabled, client_secret_version, previous_client_secret_expires_at).</summary>
    public const int AccessInvalidRequest = 12130;
    /// <summary>400: duration is not a positive Go duration (300ms, 2h45m; units ns, us, ms, s, m, h) nor "forever".</summary>
    public const int AccessInvalidDuration = 12131;
    /// <summary>400: deleting a service token that a policy still names ("access.api.error.service_token_in_use").</summary>
    public const int AccessServiceTokenInUse = 12139;
    /// <summary>404: no Access application with that id (admin API only; chosen).</summary>
    public const int AccessApplicationNotFound = 12003;
}
