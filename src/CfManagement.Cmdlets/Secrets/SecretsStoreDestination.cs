using System.Collections.Generic;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Issuance;
using CfManagement.Model;

namespace CfManagement.Secrets
{
    /// <summary>
    /// A Secrets Store secret (account-level; Workers bind it as secrets_store_secret {store_id, secret_name}). The
    /// store is given by name or id and resolved on each write and remove; the secret is created (scope workers) or its
    /// value replaced, with a comment naming the token. Values are write-only on Cloudflare's side.
    /// </summary>
    internal sealed class SecretsStoreDestination : ISecretDestination
    {
        public const string Kind = "secrets-store";

        private readonly string? _part;

        /// <param name="part">The credential part written (null: the primary secret), e.g. an Access service token's ClientId.</param>
        public SecretsStoreDestination(string store, string secretName, string? part = null)
        {
            Store = store;
            SecretName = secretName;
            _part = part;
        }

        public string Store { get; }
        public string SecretName { get; }
        public string Description => $"{Kind}:{Store}/{SecretName}";

        public void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            var value = credential.ValueOf(_part);
            var session = cmdlet.CurrentSession;
            var accountId = session.AccountId ?? throw new DestinationException("Secrets Store secrets live in an account, but the session has no account id.", null);
            try
            {
                CfSecretsStore? store = null;
                cmdlet.AwaitEvenIfStopping(async ct => store = await session.SecretsStore.FindStoreAsync(accountId, Store, ct).ConfigureAwait(false));
                if (store == null)
                    throw new DestinationException($"Writing Secrets Store secret {SecretName} failed: the account has no store named or with id '{Store}' (Get-CfSecretsStore lists them).", null);
                cmdlet.AwaitEvenIfStopping(ct => session.SecretsStore.SetSecretAsync(accountId, store.Id, SecretName, value, null, CommentFor(metadata), ct));
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Writing Secrets Store secret {SecretName} of store '{Store}' failed: {ex.Message}", ex);
            }
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            var session = cmdlet.CurrentSession;
            try
            {
                CfSecretsStore? store = null;
                cmdlet.AwaitEvenIfStopping(async ct => store = await session.SecretsStore.FindStoreAsync(session.AccountId!, Store, ct).ConfigureAwait(false));
                if (store == null) return; // no store, no secret: already gone
                CfSecretsStoreSecret? secret = null;
                cmdlet.AwaitEvenIfStopping(async ct => secret = await session.SecretsStore.FindSecretAsync(session.AccountId!, store.Id, SecretName, ct).ConfigureAwait(false));
                if (secret == null) return; // already gone
                cmdlet.AwaitEvenIfStopping(ct => session.SecretsStore.DeleteSecretAsync(session.AccountId!, store.Id, secret.Id, ct));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
            {
                // already gone
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Removing Secrets Store secret {SecretName} of store '{Store}' failed: {ex.Message}", ex);
            }
        }

        /// <summary>Which token the secret holds (the Secrets Store has no metadata, only a comment); never the value.</summary>
        private static string CommentFor(IReadOnlyDictionary<string, string> metadata)
        {
            string Get(string key) => metadata.TryGetValue(key, out var v) ? v : "?";
            var comment = $"CfManagement: token {Get("TokenName")} ({Get("TokenId")}), expires {Get("ExpiresOn")}";
            return comment.Length <= 1024 ? comment : comment.Substring(0, 1024);
        }
    }
}
