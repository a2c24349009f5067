using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>
    /// The account's Secrets Store (/accounts/{id}/secrets_store): stores and secret metadata can be read, values only
    /// written. Idempotency is decided per call below, with the reason.
    /// </summary>
    public sealed class SecretsStoreApi
    {
        /// <summary>The services a secret can be scoped to (the spec's enum for scopes[]).</summary>
        public static readonly IReadOnlyList<string> KnownScopes = new[] { "workers", "ai_gateway", "dex", "access", "containers", "websearch" };

        private readonly CloudflareClient _client;

        public SecretsStoreApi(CloudflareClient client) => _client = client;

        private static string StoresPath(string accountId) => $"accounts/{accountId}/secrets_store/stores";
        private static string SecretsPath(string accountId, string storeId) => $"{StoresPath(accountId)}/{storeId}/secrets";

        /// <summary>One page of the account's stores (a read: retried like every read).</summary>
        public Task<ApiPage<CfSecretsStore>> ListStoresPageAsync(string accountId, int page, CancellationToken cancellationToken) =>
            _client.GetPageAsync<WireSecretsStore, CfSecretsStore>(StoresPath(accountId), page, ToStore, cancellationToken);

        /// <summary>Every store of the account.</summary>
        public async Task<IReadOnlyList<CfSecretsStore>> ListStoresAsync(string accountId, CancellationToken cancellationToken)
        {
            var stores = new List<CfSecretsStore>();
            for (var page = 1; ; page++)
            {
                var result = await ListStoresPageAsync(accountId, page, cancellationToken).ConfigureAwait(false);
                stores.AddRange(result.Items);
                if (!result.HasMore) return stores;
            }
        }

        /// <summary>The store whose id or name (case-insensitive) is <paramref name="nameOrId"/>; null when there is none.</summary>
        public async Task<CfSecretsStore?> FindStoreAsync(string accountId, string nameOrId, CancellationToken cancellationToken)
        {
            var stores = await ListStoresAsync(accountId, cancellationToken).ConfigureAwait(false);
            return stores.FirstOrDefault(s => s.Id == nameOrId)
                ?? stores.FirstOrDefault(s => string.Equals(s.Name, nameOrId, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>One page of a store's secrets; <paramref name="search"/> is Cloudflare's name filter (a part of the name).</summary>
        public Task<ApiPage<CfSecretsStoreSecret>> ListSecretsPageAsync(string accountId, string storeId, string? search, int page, CancellationToken cancellationToken)
        {
            var query = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(search)) query["search"] = search!;
            return _client.GetPageAsync<WireSecretsStoreSecret, CfSecretsStoreSecret>(SecretsPath(accountId, storeId), page, ToSecret, cancellationToken, query);
        }

        /// <summary>The secret named exactly <paramref name="name"/> in the store (searched server-side, matched here); null when absent.</summary>
        public async Task<CfSecretsStoreSecret?> FindSecretAsync(string accountId, string storeId, string name, CancellationToken cancellationToken)
        {
            for (var page = 1; ; page++)
            {
                var result = await ListSecretsPageAsync(accountId, storeId, name, page, cancellationToken).ConfigureAwait(false);
                var match = result.Items.FirstOrDefault(s => s.Name == name);
                if (match != null) return match;
                if (!result.HasMore) return null;
            }
        }

        /// <summary>
        /// Creates one secret. Idempotent: names are unique in a store, so a repeat after a lost answer cannot create a
        /// second secret; it answers 409, which <see cref="SetSecretAsync"/> resolves by patching the same value in.
        /// </summary>
        public async Task<CfSecretsStoreSecret> CreateSecretAsync(string accountId, string storeId, string name, SecureString value,
            IReadOnlyList<string> scopes, string? comment, CancellationToken cancellationToken)
        {
            // The plain text exists only inside this request body, built at the last moment; bodies are never logged.
            var body = new List<WireSecretsStoreSecretWrite>
            {
                new WireSecretsStoreSecretWrite { Name = name, Value = SecureStringReader.ToPlainText(value), Scopes = scopes.ToList(), Comment = comment },
            };
            var (created, _) = await _client.SendAsync<List<WireSecretsStoreSecret>>(HttpMethod.Post, SecretsPath(accountId, storeId), body,
                idempotent: true, cancellationToken).ConfigureAwait(false);
            var secret = created?.FirstOrDefault()
                ?? throw new CloudflareApiException(ApiFailureKind.Protocol, "POST", "/" + SecretsPath(accountId, storeId), null,
                    Array.Empty<CloudflareError>(), "Cloudflare accepted the secret but returned no secret object.");
            return ToSecret(secret);
        }

        /// <summary>
        /// Changes a secret's value, scopes and/or comment (null: unchanged). Idempotent: applying the same patch twice
        /// leaves the same secret.
        /// </summary>
        public async Task<CfSecretsStoreSecret> UpdateSecretAsync(string accountId, string storeId, string secretId, SecureString? value,
            IReadOnlyList<string>? scopes, string? comment, CancellationToken cancellationToken)
        {
            var body = new WireSecretsStoreSecretWrite
            {
                Value = value == null ? null : SecureStringReader.ToPlainText(value),
                Scopes = scopes?.ToList(),
                Comment = comment,
            };
            var (secret, _) = await _client.SendAsync<WireSecretsStoreSecret>(new HttpMethod("PATCH"), $"{SecretsPath(accountId, storeId)}/{secretId}", body,
                idempotent: true, cancellationToken).ConfigureAwait(false);
            return ToSecret(secret);
        }

        /// <summary>
        /// Deletes one secret. Idempotent: a repeat after a lost answer finds it gone (404), the state the caller asked
        /// for; callers treat 404 as "already gone".
        /// </summary>
        public Task DeleteSecretAsync(string accountId, string storeId, string secretId, CancellationToken cancellationToken) =>
            _client.SendAsync<object>(HttpMethod.Delete, $"{SecretsPath(accountId, storeId)}/{secretId}", null, idempotent: true, cancellationToken);

        /// <summary>
        /// Creates the secret, or (it exists) patches its value, and its scopes and comment when given. Returns the secret
        /// and whether it was created. Scopes default to workers on create.
        /// </summary>
        public async Task<(CfSecretsStoreSecret Secret, bool Created)> SetSecretAsync(string accountId, string storeId, string name, SecureString value,
            IReadOnlyList<string>? scopes, string? comment, CancellationToken cancellationToken)
        {
            var existing = await FindSecretAsync(accountId, storeId, name, cancellationToken).ConfigureAwait(false);
            return await SetSecretAsync(accountId, storeId, existing, name, value, scopes, comment, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// <see cref="SetSecretAsync(string, string, string, SecureString, IReadOnlyList{string}, string, CancellationToken)"/> when
        /// the caller already looked the secret up (<paramref name="existing"/>: null when absent). A create that answers
        /// 409 (created meanwhile, by a repeat of this request or by someone else) becomes a patch. With no
        /// <paramref name="value"/> only an existing secret's scopes and comment change.
        /// </summary>
        public async Task<(CfSecretsStoreSecret Secret, bool Created)> SetSecretAsync(string accountId, string storeId, CfSecretsStoreSecret? existing,
            string name, SecureString? value, IReadOnlyList<string>? scopes, string? comment, CancellationToken cancellationToken)
        {
            if (existing == null)
            {
                if (value == null) throw new ArgumentNullException(nameof(value), $"Secret '{name}' does not exist; creating it needs a value.");
                try
                {
                    return (await CreateSecretAsync(accountId, storeId, name, value, scopes ?? new[] { "workers" }, comment, cancellationToken).ConfigureAwait(false), true);
                }
                catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 409)
                {
                    existing = await FindSecretAsync(accountId, storeId, name, cancellationToken).ConfigureAwait(false);
                    if (existing == null) throw;
                }
            }
            return (await UpdateSecretAsync(accountId, storeId, existing.Id, value, scopes, comment, cancellationToken).ConfigureAwait(false), false);
        }

        private static CfSecretsStore ToStore(WireSecretsStore w) => new CfSecretsStore(w.Id, w.Name ?? "", w.AccountId, w.Created, w.Modified);

        private static CfSecretsStoreSecret ToSecret(WireSecretsStoreSecret w) =>
            new CfSecretsStoreSecret(w.Id, w.StoreId ?? "", w.Name ?? "", w.Status ?? "", (w.Scopes ?? new List<string>()).AsReadOnly(), w.Comment, w.Created, w.Modified);
    }
}
