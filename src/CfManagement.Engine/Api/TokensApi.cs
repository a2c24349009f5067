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

        /// <summary>
        /// Creates a token. Not idempotent: a repeat after a lost answer would mint a second token whose value
        /// nobody sees, so a 5xx or reset is reported, never retried (a 429 is, Cloudflare did not process it).
        /// </summary>
        public async Task<CfCreatedToken> CreateAsync(CfTokenScope scope, string? accountId, CfTokenDefinition definition, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.SendAsync<WireCreatedToken>(HttpMethod.Post, BasePath(scope, accountId),
                ToRequest(definition, includeStatus: false), idempotent: false, cancellationToken).ConfigureAwait(false);
            var value = Http.SecureStringReader.FromPlainText(wire.Value ?? string.Empty);
            wire.Value = null;
            return new CfCreatedToken(WireMapper.ToToken(wire.ToToken(), scope, accountId), value);
        }

        /// <summary>Replaces name, status, policies, conditions and validity. A full replacement, so safe to repeat.</summary>
        public async Task<CfToken> UpdateAsync(CfTokenScope scope, string? accountId, string id, CfTokenDefinition definition, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.SendAsync<WireToken>(HttpMethod.Put, $"{BasePath(scope, accountId)}/{id}",
                ToRequest(definition, includeStatus: true), idempotent: true, cancellationToken).ConfigureAwait(false);
            return WireMapper.ToToken(wire, scope, accountId);
        }

        public Task DeleteAsync(CfTokenScope scope, string? accountId, string id, CancellationToken cancellationToken) =>
            _client.SendAsync<WireToken>(HttpMethod.Delete, $"{BasePath(scope, accountId)}/{id}", null, idempotent: true, cancellationToken);

        /// <summary>
        /// Rolls a token: Cloudflare kills the old value at once and shows the new one only in this answer. Never
        /// retried after a 5xx or reset: a second roll would kill the value the first one returned.
        /// </summary>
        public async Task<SecureString> RollAsync(CfTokenScope scope, string? accountId, string id, CancellationToken cancellationToken)
        {
            var (value, _) = await _client.SendAsync<string>(HttpMethod.Put, $"{BasePath(scope, accountId)}/{id}/value",
                new Dictionary<string, string>(), idempotent: false, cancellationToken).ConfigureAwait(false);
            return Http.SecureStringReader.FromPlainText(value ?? string.Empty);
        }

        private static WireTokenRequest ToRequest(CfTokenDefinition d, bool includeStatus)
        {
            var request = new WireTokenRequest
            {
                Name = d.Name,
                Status = includeStatus ? d.Status ?? "active" : null,
                // Cloudflare takes whole seconds; round the expiry up so a short TTL is never cut below what was asked.
                ExpiresOn = d.ExpiresOn.HasValue ? WholeSecondsUp(d.ExpiresOn.Value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : null,
                NotBefore = d.NotBefore?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var policy in d.Policies)
            {
                var wire = new WirePolicyRequest { Effect = policy.Effect };
                foreach (var group in policy.PermissionGroups) wire.PermissionGroups.Add(new WireGroupId { Id = group.Id });
                foreach (var resource in policy.Resources) wire.Resources[resource.Key] = resource.Value;
                request.Policies.Add(wire);
            }
            if (d.AllowedIp.Count > 0 || d.DeniedIp.Count > 0)
                request.Condition = new WireConditionRequest
                {
                    RequestIp = new WireIpCondition
                    {
                        In = d.AllowedIp.Count > 0 ? new List<string>(d.AllowedIp) : null,
                        NotIn = d.DeniedIp.Count > 0 ? new List<string>(d.DeniedIp) : null,
                    },
                };
            return request;
        }

        private static DateTimeOffset WholeSecondsUp(DateTimeOffset value)
        {
            var remainder = value.UtcTicks % TimeSpan.TicksPerSecond;
            return remainder == 0 ? value : value.AddTicks(TimeSpan.TicksPerSecond - remainder);
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
