using System;

namespace CfManagement.Model
{
    /// <summary>A store of the account's Secrets Store (account-level secrets that Workers and other services bind).</summary>
    public sealed class CfSecretsStore
    {
        public CfSecretsStore(string id, string name, string? accountId, DateTimeOffset? created, DateTimeOffset? modified)
        {
            Id = id;
            Name = name;
            AccountId = accountId;
            Created = created;
            Modified = modified;
        }

        public string Id { get; }
        public string Name { get; }
        public string? AccountId { get; }
        public DateTimeOffset? Created { get; }
        public DateTimeOffset? Modified { get; }
        public override string ToString() => $"{Name} ({Id})";
    }
}
