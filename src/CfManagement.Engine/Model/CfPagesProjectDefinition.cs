namespace CfManagement.Model
{
    /// <summary>What New-CfPagesProject asks for: a name and production branch, an optional git source and build settings.</summary>
    public sealed class CfPagesProjectDefinition
    {
        public CfPagesProjectDefinition(string name, string productionBranch, string? sourceType, string? owner, string? repository,
            string? buildCommand, string? destinationDir, string? rootDir)
        {
            Name = name;
            ProductionBranch = productionBranch;
            SourceType = sourceType;
            Owner = owner;
            Repository = repository;
            BuildCommand = buildCommand;
            DestinationDir = destinationDir;
            RootDir = rootDir;
        }

        public string Name { get; }
        public string ProductionBranch { get; }
        /// <summary>github or gitlab; null for a direct-upload project.</summary>
        public string? SourceType { get; }
        public string? Owner { get; }
        public string? Repository { get; }
        public string? BuildCommand { get; }
        public string? DestinationDir { get; }
        public string? RootDir { get; }
    }
}
