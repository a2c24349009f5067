namespace CfManagement.Model
{
    /// <summary>A permission group as it appears inside a token policy.</summary>
    public sealed class CfPermissionGroupRef
    {
        public CfPermissionGroupRef(string id, string? name)
        {
            Id = id;
            Name = name ?? string.Empty;
        }

        public string Id { get; }
        public string Name { get; }
        public override string ToString() => string.IsNullOrEmpty(Name) ? Id : Name;
    }
}
