using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// What the secret commands share: the account check and resolving -Store (a name or an id) once per store per
    /// pipeline, reporting an unknown store as SecretsStoreNotFound.
    /// </summary>
    public abstract class SecretsStoreCmdlet : CfSessionCmdlet
    {
        private readonly Dictionary<string, CfSecretsStore?> _stores = new Dictionary<string, CfSecretsStore?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The session's account id, or null after writing AccountIdRequired.</summary>
        internal string? AccountIdOrError(string parameterName, object? value)
        {
            var accountId = CurrentSession.AccountId;
            if (!string.IsNullOrEmpty(accountId)) return accountId;
            WriteError(InputValidator.AccountRequired(parameterName, value, "Secrets Store secrets live in an account"));
            return null;
        }

        /// <summary>The store named (or with the id) <paramref name="store"/>; null after writing the error.</summary>
        internal CfSecretsStore? ResolveStore(string accountId, string store)
        {
            if (_stores.TryGetValue(store, out var known))
            {
                if (known == null) WriteError(SecretsStoreErrors.StoreNotFound(store));
                return known;
            }
            CfSecretsStore? found;
            try
            {
                var session = CurrentSession;
                found = Await(ct => session.SecretsStore.FindStoreAsync(accountId, store, ct));
            }
            catch (CloudflareApiException ex)
            {
                WriteApiError(ex, store);
                return null;
            }
            _stores[store] = found;
            if (found == null) WriteError(SecretsStoreErrors.StoreNotFound(store));
            return found;
        }
    }
}
