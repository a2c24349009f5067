namespace CfManagement.Json
{
    /// <summary>The answer to PUT .../workers/scripts/{name}: the script; <c>deployment_id</c> is the new version's id (wrangler reads it so).</summary>
    internal sealed class WireScriptUploadResult
    {
        public string? Id { get; set; }
        public string? Etag { get; set; }
        public string? DeploymentId { get; set; }
        public double? StartupTimeMs { get; set; }
        public string? ModifiedOn { get; set; }
    }

    /// <summary>The answer to POST .../versions: the version, its number and <c>resources.script.etag</c>.</summary>
    internal sealed class WireVersionUploadResult
    {
        public string? Id { get; set; }
        public long? Number { get; set; }
        public double? StartupTimeMs { get; set; }
        public WireVersionResources? Resources { get; set; }
    }
    // WireVersionResources / WireVersionScript: shared with the version detail, in WorkerWireTypes.cs.
}
