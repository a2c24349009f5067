using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace CfManagement.Json
{
    // Worker scripts, versions, deployments and script settings exactly as Cloudflare sends them (API-FACTS "Workers";
    // cf-trimmed.json workers_script-response, workers_version-item-short, workers_deployments-*, workers_script-settings-item).

    internal sealed class WireWorkerScript
    {
        public string Id { get; set; } = "";
        public string? Etag { get; set; }
        public DateTimeOffset? CreatedOn { get; set; }
        public DateTimeOffset? ModifiedOn { get; set; }
        public string? UsageModel { get; set; }
        public bool? Logpush { get; set; }
        public List<WireTailConsumer>? TailConsumers { get; set; }
        public List<string>? Tags { get; set; }
        public List<string>? Handlers { get; set; }
        public string? CompatibilityDate { get; set; }
        public List<string>? CompatibilityFlags { get; set; }
        public bool? HasModules { get; set; }
        public string? LastDeployedFrom { get; set; }
    }

    internal sealed class WireTailConsumer
    {
        public string Service { get; set; } = "";
        public string? Environment { get; set; }
        public string? Namespace { get; set; }
    }

    /// <summary>GET and PATCH <c>/script-settings</c>: the settings that apply at once, without a new version.</summary>
    internal sealed class WireScriptSettings
    {
        public bool? Logpush { get; set; }
        public List<WireTailConsumer>? TailConsumers { get; set; }
        public List<string>? Tags { get; set; }
    }

    /// <summary>
    /// The PATCH body for tail consumers: only <c>tail_consumers</c>, always present (an empty list removes them all),
    /// so logpush, observability and tags stay as they are.
    /// </summary>
    internal sealed class WireTailConsumersPatch
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public List<WireTailConsumer> TailConsumers { get; set; } = new List<WireTailConsumer>();
    }

    internal sealed class WireVersionList
    {
        public List<WireWorkerVersion>? Items { get; set; }
    }

    internal sealed class WireWorkerVersion
    {
        public string Id { get; set; } = "";
        public double? Number { get; set; }
        public WireVersionMetadata? Metadata { get; set; }
        public WireAnnotations? Annotations { get; set; }
        public WireVersionResources? Resources { get; set; }
    }

    internal sealed class WireVersionMetadata
    {
        public string? AuthorEmail { get; set; }
        public string? AuthorId { get; set; }
        public DateTimeOffset? CreatedOn { get; set; }
        public DateTimeOffset? ModifiedOn { get; set; }
        public string? Source { get; set; }

        // The SDK types it hasPreview; wrangler reads has_preview (API-FACTS): take either.
        [JsonPropertyName("hasPreview")]
        public bool? HasPreview { get; set; }

        [JsonPropertyName("has_preview")]
        public bool? HasPreviewSnake { get; set; }
    }

    /// <summary>Version and deployment annotations; keys carry a slash, so each is named exactly.</summary>
    internal sealed class WireAnnotations
    {
        [JsonPropertyName("workers/message")]
        public string? Message { get; set; }

        [JsonPropertyName("workers/tag")]
        public string? Tag { get; set; }

        [JsonPropertyName("workers/triggered_by")]
        public string? TriggeredBy { get; set; }
    }

    internal sealed class WireVersionResources
    {
        public List<WireBindingSummary>? Bindings { get; set; }
        public WireVersionScript? Script { get; set; }
        public WireScriptRuntime? ScriptRuntime { get; set; }
    }

    /// <summary>A binding's name and type only: the other fields (plain_text text, key material) are never read.</summary>
    internal sealed class WireBindingSummary
    {
        public string Name { get; set; } = "";
        public string? Type { get; set; }
    }

    internal sealed class WireVersionScript
    {
        public string? Etag { get; set; }
        public List<string>? Handlers { get; set; }
        public string? LastDeployedFrom { get; set; }
    }

    internal sealed class WireScriptRuntime
    {
        public string? CompatibilityDate { get; set; }
        public List<string>? CompatibilityFlags { get; set; }
        public string? UsageModel { get; set; }
    }

    internal sealed class WireDeploymentList
    {
        public List<WireDeployment>? Deployments { get; set; }
    }

    internal sealed class WireDeployment
    {
        public string Id { get; set; } = "";
        public DateTimeOffset? CreatedOn { get; set; }
        public string? Source { get; set; }
        public string? Strategy { get; set; }
        public string? AuthorEmail { get; set; }
        public List<WireDeploymentVersion>? Versions { get; set; }
        public WireAnnotations? Annotations { get; set; }
    }

    internal sealed class WireDeploymentVersion
    {
        public string VersionId { get; set; } = "";
        public double Percentage { get; set; }
    }

    /// <summary>POST <c>/deployments</c>: the whole traffic split (one or two versions summing to 100).</summary>
    internal sealed class WireDeploymentRequest
    {
        public string Strategy { get; set; } = "percentage";
        public List<WireDeploymentVersion> Versions { get; set; } = new List<WireDeploymentVersion>();
        public WireDeploymentAnnotations? Annotations { get; set; }
    }

    /// <summary>Only the message can be written; workers/triggered_by is Cloudflare's.</summary>
    internal sealed class WireDeploymentAnnotations
    {
        [JsonPropertyName("workers/message")]
        public string? Message { get; set; }
    }
}
