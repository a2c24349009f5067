using System;
using System.Management.Automation;
using System.Security;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Session
{
    /// <summary>
    /// <para type="synopsis">Connects this runspace to Cloudflare with an API token and verifies the token.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "CfAccount", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(CfSession))]
    public sealed class ConnectCfAccountCommand : CfConnectingCmdlet
    {
        private const string TokenSet = "ApiToken";
        private const string EnvironmentSet = "FromEnvironment";
        private const string VaultSet = "Vault";

        /// <summary>Warn when the session's own token expires within this many days (the runbook's rotation lead time).</summary>
        internal const int ExpiryWarningDays = 14;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenSet)]
        [Alias("Token")]
        public SecureString? ApiToken { get; set; }

        /// <summary>Read the token from CLOUDFLARE_API_TOKEN (and the account from CLOUDFLARE_ACCOUNT_ID).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>The SecretManagement vault holding the management token (with -SecretName).</summary>
        [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
        [Alias("VaultName")]
        [ArgumentCompleter(typeof(Completion.VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>The vault secret holding the token; its metadata (TokenId, ExpiresOn) or companions NAME__TOKEN_ID / NAME__EXPIRES_AT tell the token id and expiry.</summary>
        [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
        [ArgumentCompleter(typeof(Completion.VaultSecretNameCompleter))]
        public string? SecretName { get; set; }

        [Parameter]
        public string? AccountId { get; set; }

        /// <summary>The API root; defaults to CLOUDFLARE_API_BASE_URL, then https://api.cloudflare.com/client/v4/.</summary>
        [Parameter]
        public string? ApiBaseUri { get; set; }

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetryCount { get; set; } = 4;

        /// <summary>The longest Retry-After to sit out before giving a 429 back as an error.</summary>
        [Parameter]
        [ValidateRange(0, 600)]
        public int MaxRetryWaitSeconds { get; set; } = 60;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSeconds { get; set; } = 100;

        /// <summary>Client-side request budget per five minutes (Cloudflare allows 1200).</summary>
        [Parameter]
        [ValidateRange(1, 1200)]
        public int RequestsPerFiveMinutes { get; set; } = 1200;

        /// <summary>The SQLite ledger file for this session (default: per-user file, or CFMANAGEMENT_LEDGER_PATH).</summary>
        [Parameter]
        public string? LedgerPath { get; set; }

        /// <summary>Keep this session's ledger in a Cloudflare D1 database instead (teams whose runbooks run on many machines).</summary>
        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            if (Ledger.LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger)
                ThrowTerminatingError(badLedger);
            if (AccountId != null && InputValidator.CheckId(AccountId, nameof(AccountId), "account", ErrorIds.InvalidAccountId) is ErrorRecord badAccount)
                ThrowTerminatingError(badAccount);
            Uri? baseUri = null;
            if (ApiBaseUri != null && InputValidator.CheckApiBaseUri(ApiBaseUri, out baseUri) is ErrorRecord badUri)
                ThrowTerminatingError(badUri);
            if (ParameterSetName == TokenSet && (ApiToken == null || ApiToken.Length == 0))
                ThrowTerminatingError(InputValidator.Invalid(ErrorIds.MissingApiToken, nameof(ApiToken), null,
                    "-ApiToken is empty.", $"Pass the token as a SecureString, e.g. -ApiToken (Read-Host -AsSecureString), or use -FromEnvironment with {SessionConnector.TokenVariable}."));
            if (ParameterSetName == VaultSet)
            {
                ConnectFromVault(baseUri);
                return;
            }
            SecureString? apiToken = null;
            var copied = false;
            if (ParameterSetName == TokenSet && TokenValueValidator.Check(ApiToken, nameof(ApiToken), out apiToken, out copied) is ErrorRecord badToken)
                ThrowTerminatingError(badToken);
            try
            {
                ConnectWith(apiToken, baseUri);
            }
            finally
            {
                if (copied) apiToken!.Dispose();
            }
        }

        private void ConnectFromVault(Uri? baseUri)
        {
            if (string.IsNullOrWhiteSpace(Vault))
                ThrowTerminatingError(InputValidator.Invalid(ErrorIds.InvalidName, nameof(Vault), Vault, "-Vault must name a registered SecretManagement vault.", "Pass -Vault <name> (Get-SecretVault lists them) with -SecretName."));
            if (string.IsNullOrWhiteSpace(SecretName))
                ThrowTerminatingError(InputValidator.Invalid(ErrorIds.InvalidSecretName, nameof(SecretName), SecretName, "-SecretName must name the vault secret that holds the API token.", "Pass -SecretName <name> (Get-SecretInfo -Vault <vault> lists them)."));
            VaultManagementToken fromVault;
            try
            {
                fromVault = VaultManagementToken.Read(this, Vault!.Trim(), SecretName!.Trim());
            }
            catch (CfRecordException ex)
            {
                ThrowTerminatingError(ex.ErrorRecord);
                throw;
            }
            using (fromVault)
            {
                var session = ConnectWith(fromVault.Token, baseUri, $"Vault:{Vault!.Trim()}/{SecretName!.Trim()}");
                if (fromVault.TokenId != null && session.TokenId != null && !string.Equals(fromVault.TokenId, session.TokenId, StringComparison.OrdinalIgnoreCase))
                    WriteWarning($"Vault '{Vault!.Trim()}' records token id {fromVault.TokenId} for '{SecretName!.Trim()}', but Cloudflare says the value is token {session.TokenId}: the vault's metadata is out of date.");
                session.RecordVaultExpiry(fromVault.ExpiresOn);
                WarnIfExpiring(session);
                WriteObject(session);
            }
        }

        /// <summary>The runbook rotates ahead of expiry: a session whose own token ends within the lead time says so.</summary>
        private void WarnIfExpiring(CfSession session)
        {
            if (!session.TokenExpiresOn.HasValue) return;
            var left = session.TokenExpiresOn.Value - DateTimeOffset.UtcNow;
            if (left > TimeSpan.FromDays(ExpiryWarningDays)) return;
            WriteWarning($"The management token {session.TokenId} expires on {session.TokenExpiresOn.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({Math.Max(0, (int)Math.Floor(left.TotalDays))} days left, per {session.TokenExpiresOnSource}); rotate it before then.");
        }

        private void ConnectWith(SecureString? apiToken, Uri? baseUri)
        {
            var session = ConnectWith(apiToken, baseUri, "Parameter");
            WriteObject(session);
        }

        private CfSession ConnectWith(SecureString? apiToken, Uri? baseUri, string source)
        {
            var rehearsal = RehearsalRateLimit.Read(out var badRehearsal);
            if (badRehearsal != null) ThrowTerminatingError(badRehearsal);
            var options = new RetryOptions
            {
                MaxRetries = MaxRetryCount,
                MaxRetryAfter = TimeSpan.FromSeconds(MaxRetryWaitSeconds),
                RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
                RateLimitRequests = rehearsal?.Requests ?? RequestsPerFiveMinutes,
                RateLimitWindow = rehearsal?.Window ?? TimeSpan.FromMinutes(5),
            };
            if (rehearsal != null)
                WriteVerbose($"Client-side rate limit from {RehearsalRateLimit.Variable}: {options.RateLimitRequests} requests per {options.RateLimitWindow.TotalSeconds:0} s (rehearsal against a scaled-down emulator).");
            var session = ParameterSetName == EnvironmentSet
                ? ConnectFromEnvironment(AccountId, baseUri, options)
                : Connect(apiToken!, AccountId, baseUri, options, source);
            session.LedgerPath = LedgerPath;
            session.LedgerDatabaseId = LedgerDatabaseId;
            SessionStore.Set(session);
            WriteVerbose($"Connected: {session}");
            return session;
        }
    }
}
