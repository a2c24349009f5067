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

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenSet)]
        [Alias("Token")]
        public SecureString? ApiToken { get; set; }

        /// <summary>Read the token from CLOUDFLARE_API_TOKEN (and the account from CLOUDFLARE_ACCOUNT_ID).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

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

        private void ConnectWith(SecureString? apiToken, Uri? baseUri)
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
                : Connect(apiToken!, AccountId, baseUri, options, "Parameter");
            session.LedgerPath = LedgerPath;
            session.LedgerDatabaseId = LedgerDatabaseId;
            SessionStore.Set(session);
            WriteVerbose($"Connected: {session}");
            WriteObject(session);
        }
    }
}
