using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfManagement.Json
{
    // Wire shapes exactly as Cloudflare sends them (snake_case). Mapped to immutable models by WireMapper; never
    // handed to PowerShell directly.

    internal sealed class WireEnvelope
    {
        public bool Success { get; set; }
        public List<WireError>? Errors { get; set; }
        public List<WireError>? Messages { get; set; }
        public JsonElement Result { get; set; }
        public WireResultInfo? ResultInfo { get; set; }
    }

    /// <summary>
    /// The envelope with its result typed, so a successful answer is decoded in one pass over the bytes (the
    /// untyped <see cref="WireEnvelope"/> copies the result into a JsonElement first and decodes it again).
    /// </summary>
    internal sealed class WireEnvelope<T>
    {
        public bool Success { get; set; }
        public List<WireError>? Errors { get; set; }
        public List<WireError>? Messages { get; set; }
        public T Result { get; set; } = default!;
        public WireResultInfo? ResultInfo { get; set; }

        /// <summary>Everything but the result, for callers that read messages or paging.</summary>
        public WireEnvelope Header() => new WireEnvelope { Success = Success, Errors = Errors, Messages = Messages, ResultInfo = ResultInfo };
    }

    internal sealed class WireError
    {
        public int Code { get; set; }
        public string? Message { get; set; }
        public List<WireError>? ErrorChain { get; set; }
    }

    internal sealed class WireResultInfo
    {
        public int Page { get; set; }
        public int PerPage { get; set; }
        public int Count { get; set; }
        public int TotalCount { get; set; }
        public int? TotalPages { get; set; }
    }

    internal sealed class WireToken
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Status { get; set; }
        public DateTimeOffset? IssuedOn { get; set; }
        public DateTimeOffset? ModifiedOn { get; set; }
        public DateTimeOffset? LastUsedOn { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        public DateTimeOffset? ExpiresOn { get; set; }
        public List<WirePolicy>? Policies { get; set; }
        public WireCondition? Condition { get; set; }
    }

    internal sealed class WirePolicy
    {
        public string? Id { get; set; }
        public string? Effect { get; set; }
        /// <summary>Resource key to value: a string ("*"), or the raw JSON of anything else (nested maps).</summary>
        [JsonConverter(typeof(ResourceMapConverter))]
        public Dictionary<string, string>? Resources { get; set; }
        public List<WirePermissionGroupRef>? PermissionGroups { get; set; }
    }

    internal sealed class WirePermissionGroupRef
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
    }

    internal sealed class WireCondition
    {
        public WireIpCondition? RequestIp { get; set; }

        // Docs and older clients spell it "request.ip"; read both (API-FACTS).
        [JsonPropertyName("request.ip")]
        public WireIpCondition? RequestIpDotted { get; set; }
    }

    internal sealed class WireIpCondition
    {
        public List<string>? In { get; set; }
        public List<string>? NotIn { get; set; }
    }

    internal sealed class WirePermissionGroup
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public List<string>? Scopes { get; set; }
    }

    internal sealed class WireVerify
    {
        public string? Id { get; set; }
        public string? Status { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        public DateTimeOffset? ExpiresOn { get; set; }
    }

    internal sealed class WireAccount
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
    }
}

namespace CfManagement.Json
{
    /// <summary>Create response: the token object plus its value, shown this once.</summary>
    internal sealed class WireCreatedToken
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Status { get; set; }
        public System.DateTimeOffset? IssuedOn { get; set; }
        public System.DateTimeOffset? ModifiedOn { get; set; }
        public System.DateTimeOffset? NotBefore { get; set; }
        public System.DateTimeOffset? ExpiresOn { get; set; }
        public System.Collections.Generic.List<WirePolicy>? Policies { get; set; }
        public WireCondition? Condition { get; set; }
        public string? Value { get; set; }

        public WireToken ToToken() => new WireToken
        {
            Id = Id, Name = Name, Status = Status, IssuedOn = IssuedOn, ModifiedOn = ModifiedOn, NotBefore = NotBefore,
            ExpiresOn = ExpiresOn, Policies = Policies, Condition = Condition,
        };
    }

    /// <summary>Create and update request body.</summary>
    internal sealed class WireTokenRequest
    {
        public string Name { get; set; } = "";
        public string? Status { get; set; }
        public System.Collections.Generic.List<WirePolicyRequest> Policies { get; set; } = new System.Collections.Generic.List<WirePolicyRequest>();
        public WireConditionRequest? Condition { get; set; }
        public string? ExpiresOn { get; set; }
        public string? NotBefore { get; set; }
    }

    internal sealed class WirePolicyRequest
    {
        public string Effect { get; set; } = "allow";
        public System.Collections.Generic.List<WireGroupId> PermissionGroups { get; set; } = new System.Collections.Generic.List<WireGroupId>();
        public System.Collections.Generic.Dictionary<string, string> Resources { get; set; } = new System.Collections.Generic.Dictionary<string, string>();
    }

    internal sealed class WireGroupId
    {
        public string Id { get; set; } = "";
    }

    internal sealed class WireConditionRequest
    {
        public WireIpCondition RequestIp { get; set; } = new WireIpCondition();
    }

    internal sealed class WireZone
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Status { get; set; }
        public WireAccount? Account { get; set; }
    }

    internal sealed class WireUser
    {
        public string Id { get; set; } = "";
        public string? Email { get; set; }
    }

    internal sealed class WireSecretBinding
    {
        public string Name { get; set; } = "";
        public string? Type { get; set; }
    }

    internal sealed class WireVersionRef
    {
        public string Id { get; set; } = "";
        public string? Etag { get; set; }
    }
}
