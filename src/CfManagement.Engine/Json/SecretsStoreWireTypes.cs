using System;
using System.Collections.Generic;

namespace CfManagement.Json
{
    // Secrets Store wire shapes (cf-trimmed.json, secrets-store_*). Request bodies carry the value only inside the one
    // request that writes it; no response shape has a value.

    internal sealed class WireSecretsStore
    {
        public string Id { get; set; } = "";
        public string? AccountId { get; set; }
        public string? Name { get; set; }
        public DateTimeOffset? Created { get; set; }
        public DateTimeOffset? Modified { get; set; }
    }

    internal sealed class WireSecretsStoreSecret
    {
        public string Id { get; set; } = "";
        public string? StoreId { get; set; }
        public string? Name { get; set; }
        public string? Status { get; set; }
        public List<string>? Scopes { get; set; }
        public string? Comment { get; set; }
        public DateTimeOffset? Created { get; set; }
        public DateTimeOffset? Modified { get; set; }
    }

    /// <summary>One entry of the create array, and the PATCH body (every member optional there; nulls are not sent).</summary>
    internal sealed class WireSecretsStoreSecretWrite
    {
        public string? Name { get; set; }
        public string? Value { get; set; }
        public List<string>? Scopes { get; set; }
        public string? Comment { get; set; }
    }
}
