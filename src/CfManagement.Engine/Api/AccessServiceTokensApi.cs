using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>
    /// Access service tokens (<c>/accounts/{id}/access/service_tokens</c>): a client id (not secret) and a client secret
    /// that Cloudflare shows only in the create and rotate answers. Idempotency is decided per call below, with the reason.
    /// </summary>
    public sealed class AccessServiceTokensApi
    {
        private readonly CloudflareClient _client;

        public AccessServiceTokensApi(CloudflareClient client) => _client = client;

        public static string BasePath(string accountId)
        {
            if (string.IsNullOrEmpty(accountId))
                throw new InvalidOperationException("Access service tokens live in an account: connect with -AccountId.");
            return $"accounts/{accountId}/access/service_tokens";
        }

        /// <summary>One page of the account's service tokens; <paramref name="name"/> is Cloudflare's name filter (a read: retried like every read).</summary>
        public Task<ApiPage<CfAccessServiceToken>> ListPageAsync(string accountId, string? name, int page, CancellationToken cancellationToken)
        {
            var query = string.IsNullOrEmpty(name) ? null : new Dictionary<string, string> { ["name"] = name! };
            return _client.GetPageAsync<WireAccessServiceToken, CfAccessServiceToken>(BasePath(accountId), page, w => ToModel(w, accountId), cancellationToken, query);
        }

        /// <summary>Every service token of the account, or those Cloudflare's name filter keeps.</summary>
        public async Task<IReadOnlyList<CfAccessServiceToken>> ListAsync(string accountId, string? name, CancellationToken cancellationToken)
        {
            var all = new List<CfAccessServiceToken>();
            for (var page = 1; ; page++)
            {
                var result = await ListPageAsync(accountId, name, page, cancellationToken).ConfigureAwait(false);
                all.AddRange(result.Items);
                if (!result.HasMore) return all;
            }
        }

        /// <summary>
        /// The tokens named exactly <paramref name="name"/> (case-insensitive): filtered by Cloudflare, matched again here,
        /// because a server that treats the filter as a substring search must not make another token look like this one.
        /// </summary>
        public async Task<IReadOnlyList<CfAccessServiceToken>> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken)
        {
            var listed = await ListAsync(accountId, name, cancellationToken).ConfigureAwait(false);
            return listed.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        public async Task<CfAccessServiceToken> GetAsync(string accountId, string id, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireAccessServiceToken>($"{BasePath(accountId)}/{id}", cancellationToken).ConfigureAwait(false);
            return ToModel(wire, accountId);
        }

        /// <summary>
        /// Creates a service token. Not idempotent: a repeat after a lost answer (5xx, reset, timeout) would create a
        /// second token whose secret nobody saw, so it is reported, never retried (a 429 is: Cloudflare did not process it).
        /// A caller that must know whether a lost create happened lists the name before and after
        /// (<see cref="FindByNameAsync"/>): a token that is new under that name is the one the lost answer held.
        /// </summary>
        public async Task<CfIssuedAccessSecret> CreateAsync(string accountId, string name, AccessDuration? duration, CancellationToken cancellationToken)
        {
            var body = new WireAccessServiceTokenRequest { Name = name, Duration = duration?.Text };
            var (wire, _) = await _client.SendAsync<WireAccessServiceToken>(HttpMethod.Post, BasePath(accountId), body, idempotent: false, cancellationToken).ConfigureAwait(false);
            return Issued(wire, accountId, "POST", BasePath(accountId));
        }

        /// <summary>
        /// Sets the name and duration (null: not sent). Callers send both, the unchanged one as read, so the PUT replaces
        /// nothing they did not mean to. Idempotent: the same PUT twice leaves the same token, and it issues no secret.
        /// </summary>
        public async Task<CfAccessServiceToken> UpdateAsync(string accountId, string id, string name, AccessDuration? duration, CancellationToken cancellationToken)
        {
            var body = new WireAccessServiceTokenRequest { Name = name, Duration = duration?.Text };
            var (wire, _) = await _client.SendAsync<WireAccessServiceToken>(HttpMethod.Put, $"{BasePath(accountId)}/{id}", body, idempotent: true, cancellationToken).ConfigureAwait(false);
            return ToModel(wire, accountId);
        }

        /// <summary>
        /// Deletes a service token: both its secrets stop working at once. Idempotent: a repeat after a lost answer finds
        /// it gone (404), the state the caller asked for; callers treat 404 as already gone.
        /// </summary>
        public Task DeleteAsync(string accountId, string id, CancellationToken cancellationToken) =>
            _client.SendAsync<WireAccessServiceToken>(HttpMethod.Delete, $"{BasePath(accountId)}/{id}", null, idempotent: true, cancellationToken);

        /// <summary>
        /// Extends the expiry by the token's duration; no new secret. Retried like a read: a repeat after a lost answer
        /// issues nothing and at most moves the expiry a little later, which is what the caller asked for.
        /// </summary>
        public async Task<CfAccessServiceToken> RefreshAsync(string accountId, string id, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.SendAsync<WireAccessServiceToken>(HttpMethod.Post, $"{BasePath(accountId)}/{id}/refresh", null, idempotent: true, cancellationToken).ConfigureAwait(false);
            return ToModel(wire, accountId);
        }

        /// <summary>
        /// Issues a new client secret. Without <paramref name="previousSecretExpiresAt"/> the old secret dies at once; with
        /// it the old one works until then. Never retried after a 5xx, reset or timeout: a second rotate would kill the
        /// secret the first one returned (and, with a grace window, make that unseen secret the "previous" one while the
        /// original dies at once, since Cloudflare keeps one previous secret only).
        /// </summary>
        public async Task<CfIssuedAccessSecret> RotateAsync(string accountId, string id, DateTimeOffset? previousSecretExpiresAt, CancellationToken cancellationToken)
        {
            var body = new WireAccessServiceTokenRotateRequest
            {
                PreviousClientSecretExpiresAt = previousSecretExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
            var path = $"{BasePath(accountId)}/{id}/rotate";
            var (wire, _) = await _client.SendAsync<WireAccessServiceToken>(HttpMethod.Post, path, body, idempotent: false, cancellationToken).ConfigureAwait(false);
            return Issued(wire, accountId, "POST", path);
        }

        private static CfIssuedAccessSecret Issued(WireAccessServiceToken wire, string accountId, string method, string path)
        {
            if (string.IsNullOrEmpty(wire?.ClientSecret))
                throw new CloudflareApiException(ApiFailureKind.Protocol, method, "/" + path, null, Array.Empty<CloudflareError>(),
                    $"Cloudflare API {method} /{path} answered without a client_secret.");
            var secret = SecureStringReader.FromPlainText(wire!.ClientSecret!);
            wire.ClientSecret = null;
            return new CfIssuedAccessSecret(ToModel(wire, accountId), secret);
        }

        private static CfAccessServiceToken ToModel(WireAccessServiceToken w, string accountId) =>
            new CfAccessServiceToken(w.Id, w.ClientId ?? "", w.Name ?? "", string.IsNullOrEmpty(w.Duration) ? AccessDuration.Default : w.Duration!,
                w.ExpiresAt, w.CreatedAt, w.UpdatedAt, w.LastSeenAt, w.Enabled, accountId);
    }
}
