using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Http;
using CfManagement.Model;

namespace CfManagement.Sessions
{
    /// <summary>
    /// A connection to Cloudflare: one token, one HttpClient pipeline, the account it works in, and per-session caches.
    /// The token is held as a SecureString and never exposed by any public member.
    /// </summary>
    public sealed class CfSession : IDisposable
    {
        public static readonly Uri DefaultApiBaseUri = new Uri("https://api.cloudflare.com/client/v4/");

        private readonly SecureString _token;
        private readonly IDisposable _pipelineOwner;
        private readonly SemaphoreSlim _permissionGroupLock = new SemaphoreSlim(1, 1);
        private IReadOnlyList<CfPermissionGroup>? _permissionGroups;

        public CfSession(SecureString token, Uri apiBaseUri, string? accountId, RetryOptions? retryOptions, string source)
        {
            _token = token.Copy();
            _token.MakeReadOnly();
            ApiBaseUri = EnsureTrailingSlash(apiBaseUri);
            AccountId = accountId;
            Source = source;
            RetryOptions = retryOptions ?? new RetryOptions();
            var (http, owner) = HttpPipelineFactory.Create(ApiBaseUri, () => _token, RetryOptions);
            _pipelineOwner = owner;
            Client = new CloudflareClient(http);
            Tokens = new TokensApi(Client);
            PermissionGroups = new PermissionGroupsApi(Client);
            Accounts = new AccountsApi(Client);
            Users = new UserApi(Client);
            Zones = new ZonesApi(Client);
            Workers = new WorkersApi(Client);
            SecretsStore = new SecretsStoreApi(Client);
            Pages = new PagesApi(Client);
            AccessServiceTokens = new AccessServiceTokensApi(Client);
            ConnectedOn = DateTimeOffset.UtcNow;
        }

        public Uri ApiBaseUri { get; }
        public string? AccountId { get; private set; }
        public string? AccountName { get; private set; }
        /// <summary>Which kind of token the session holds, as verified on connect.</summary>
        public CfTokenScope TokenScope { get; private set; }
        public string? TokenId { get; private set; }
        public string TokenStatus { get; private set; } = "unverified";
        public DateTimeOffset? TokenExpiresOn { get; private set; }
        /// <summary>Who said when the token expires: "verify" (Cloudflare's expires_on), "vault" (the vault's metadata or companion, used only when verify gives none), or null.</summary>
        public string? TokenExpiresOnSource { get; private set; }
        public DateTimeOffset ConnectedOn { get; }
        /// <summary>Where the token came from: Parameter or Environment.</summary>
        public string Source { get; }
        internal RetryOptions RetryOptions { get; }
        public bool IsDisposed { get; private set; }
        /// <summary>The D1 database holding this session's ledger, when the team keeps it in Cloudflare.</summary>
        public string? LedgerDatabaseId { get; set; }
        /// <summary>The SQLite ledger file for this session, when not the per-user default.</summary>
        public string? LedgerPath { get; set; }

        internal CloudflareClient Client { get; }
        internal TokensApi Tokens { get; }
        internal PermissionGroupsApi PermissionGroups { get; }
        internal AccountsApi Accounts { get; }
        internal UserApi Users { get; }
        internal ZonesApi Zones { get; }
        internal WorkersApi Workers { get; }
        internal SecretsStoreApi SecretsStore { get; }
        internal PagesApi Pages { get; }
        internal AccessServiceTokensApi AccessServiceTokens { get; }

        /// <summary>The prefix of the session's token (cfut_, cfat_ or empty for legacy tokens), never more of it.</summary>
        public string TokenPrefix()
        {
            var prefix = SecureStringReader.Prefix(_token, 5);
            return prefix == "cfut_" || prefix == "cfat_" || prefix == "cfk_" ? prefix : string.Empty;
        }

        public void RecordVerification(CfTokenVerification verification)
        {
            TokenScope = verification.Scope ?? CfTokenScope.User;
            TokenId = verification.Id;
            TokenStatus = verification.Status;
            TokenExpiresOn = verification.ExpiresOn;
            TokenExpiresOnSource = verification.ExpiresOn.HasValue ? "verify" : null;
        }

        /// <summary>The expiry a vault recorded for this token; Cloudflare's own (from verify) wins when it gave one.</summary>
        public void RecordVaultExpiry(DateTimeOffset? expiresOn)
        {
            if (TokenExpiresOn.HasValue || !expiresOn.HasValue) return;
            TokenExpiresOn = expiresOn;
            TokenExpiresOnSource = "vault";
        }

        public void SetAccount(string? accountId, string? accountName)
        {
            AccountId = accountId;
            AccountName = accountName;
        }

        /// <summary>The permission-group catalogue for this session's owner kind, fetched once and then served from memory.</summary>
        public async Task<IReadOnlyList<CfPermissionGroup>> GetPermissionGroupsAsync(CancellationToken cancellationToken, bool refresh = false)
        {
            if (!refresh && _permissionGroups != null) return _permissionGroups;
            await _permissionGroupLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (refresh || _permissionGroups == null)
                    _permissionGroups = await PermissionGroups.ListAsync(TokenScope, AccountId, cancellationToken).ConfigureAwait(false);
                return _permissionGroups;
            }
            finally
            {
                _permissionGroupLock.Release();
            }
        }

        /// <summary>The cached catalogue if already fetched (argument completers must not block on the network).</summary>
        internal IReadOnlyList<CfPermissionGroup>? CachedPermissionGroups => _permissionGroups;

        public void Dispose()
        {
            if (IsDisposed) return;
            IsDisposed = true;
            _pipelineOwner.Dispose();
            _token.Dispose();
        }

        public override string ToString() =>
            $"CfSession {TokenScope} token {TokenId ?? "(unverified)"} on {ApiBaseUri}{(AccountId == null ? "" : " account " + AccountId)}";

        private static Uri EnsureTrailingSlash(Uri uri) =>
            uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
