namespace CfManagement.Model
{
    /// <summary>The version PATCH .../versions/latest created: not deployed (see Set-CfWorkerDeployment).</summary>
    public sealed class CfWorkerVersionRef
    {
        public CfWorkerVersionRef(string scriptName, string id, string? etag)
        {
            ScriptName = scriptName;
            Id = id;
            Etag = etag;
        }

        public string ScriptName { get; }
        public string Id { get; }
        public string? Etag { get; }
        public override string ToString() => $"{ScriptName} version {Id}";
    }
}
