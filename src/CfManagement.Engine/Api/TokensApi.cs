using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>User-owned (<c>/user/tokens</c>) and account-owned (<c>/accounts/{id}/tokens</c>) API tokens.</summary>
    public sealed class TokensApi
    {
        private readonly CloudflareClient _client;

        public TokensApi(CloudflareClient client) => _client = client;

        public static string BasePath(CfTokenScope scope, string? accountId)
        {
            if (scope == CfTokenScope.User) return "user/tokens";
            if (string.IsNullOrEmpty(accountId))
                throw new InvalidOperationException("Account-owned tokens need an account id: connect with -AccountId.");
            return $"accounts/{accountId}/tokens";
        }

        public Task<ApiPage<CfToken>> ListPageAsync(CfTokenScope scope, string? accountId, int page, CancellationToken cancellationToken)
        {
            var query = scope == CfTokenScope.Account ? new Dictionary<string, string> { ["include_expired"] = "true" } : null;
            return _client.GetPageAsync<WireToken, CfToken>(BasePath(scope, accountId), page,
                w => WireMapper.ToToken(w, scope, accountId), cancellationToken, query);
        }

        public async Task<CfToken> GetAsync(CfTokenScope scope, string? accountId, string id, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireToken>($"{BasePath(scope, accountId)}/{id}", cancellationToken).ConfigureAwait(false);
            return WireMapper.ToToken(wire, scope, accountId);
        }

        /// <summary>Verifies the session token, or <paramref name="value"/> when given.</summary>
        public async Task<CfTokenVerification> VerifyAsync(CfTokenScope scope, string? accountId, SecureString? value, CancellationToken cancellationToken)
        {
            var (wire, envelope) = await _client.GetAsync<WireVerify>($"{BasePath(scope, accountId)}/verify", cancellationToken, null, value).ConfigureAwait(false);
            var message = envelope.Messages != null && envelope.Messages.Count > 0 ? envelope.Messages[0].Message ?? "" : "";
            return new CfTokenVerification(wire.Id, wire.Status ?? "unknown", scope, wire.NotBefore, wire.ExpiresOn, message);
        }
    }
}
