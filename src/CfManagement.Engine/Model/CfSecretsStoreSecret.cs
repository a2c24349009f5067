using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// A Secrets Store secret's metadata. The value is write-only on Cloudflare's side and never part of this object.
    /// <see cref="Store"/> is the store's name when the command knew it (pipe into Set/Remove-CfSecretsStoreSecret).
    /// </summary>
    public sealed class CfSecretsStoreSecret
    {
        public CfSecretsStoreSecret(string id, string storeId, string name, string status, IReadOnlyList<string> scopes, string? comment,
            DateTimeOffset? created, DateTimeOffset? modified, string? store = null)
        {
            Id = id;
            StoreId = storeId;
            Name = name;
            Status = status;
            Scopes = scopes;
            Comment = comment;
            Created = created;
            Modified = modified;
            Store = store ?? storeId;
        }

        public string Id { get; }
        public string StoreId { get; }
        /// <summary>The store's name (or its id when the name was not known).</summary>
        public string Store { get; }
        public string Name { get; }
        /// <summary>pending | active | deleted.</summary>
        public string Status { get; }
        public IReadOnlyList<string> Scopes { get; }
        public string? Comment { get; }
        public DateTimeOffset? Created { get; }
        public DateTimeOffset? Modified { get; }

        internal CfSecretsStoreSecret InStore(string storeName) =>
            new CfSecretsStoreSecret(Id, StoreId, Name, Status, Scopes, Comment, Created, Modified, storeName);

        public override string ToString() => $"{Store}/{Name}";
    }
}
