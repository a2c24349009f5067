using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// A Pages project: its git source (none for a direct-upload project), build settings, and the names and types
    /// of the variables of each environment (values are never read: Cloudflare returns no secret_text value).
    /// </summary>
    public sealed class CfPagesProject
    {
        public CfPagesProject(string id, string name, string? subdomain, string? productionBranch, DateTimeOffset? createdOn,
            string? sourceType, string? owner, string? repository, string? buildCommand, string? destinationDir, string? rootDir,
            IReadOnlyList<string> domains, IReadOnlyList<CfPagesSecret> variables)
        {
            Id = id;
            Name = name;
            Subdomain = subdomain;
            ProductionBranch = productionBranch;
            CreatedOn = createdOn;
            SourceType = sourceType;
            Owner = owner;
            Repository = repository;
            BuildCommand = buildCommand;
            DestinationDir = destinationDir;
            RootDir = rootDir;
            Domains = domains;
            Variables = variables;
        }

        public string Id { get; }
        public string Name { get; }
        public string? Subdomain { get; }
        public string? ProductionBranch { get; }
        public DateTimeOffset? CreatedOn { get; }
        /// <summary>github, gitlab, or null for a direct-upload project.</summary>
        public string? SourceType { get; }
        public string? Owner { get; }
        public string? Repository { get; }
        public string? BuildCommand { get; }
        public string? DestinationDir { get; }
        public string? RootDir { get; }
        public IReadOnlyList<string> Domains { get; }
        /// <summary>Every variable of both environments: project, environment, name and type, never a value.</summary>
        public IReadOnlyList<CfPagesSecret> Variables { get; }

        public override string ToString() => $"{Name} ({Subdomain ?? Id})";
    }
}
