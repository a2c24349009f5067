using System;
using System.Collections.Generic;

namespace CfManagement.Json
{
    // Pages project wire shapes (snake_case), read and written by PagesApi.

    internal sealed class WirePagesProject
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Subdomain { get; set; }
        public List<string>? Domains { get; set; }
        public string? ProductionBranch { get; set; }
        public DateTimeOffset? CreatedOn { get; set; }
        public WirePagesSource? Source { get; set; }
        public WirePagesBuildConfig? BuildConfig { get; set; }
        public WirePagesDeploymentConfigs? DeploymentConfigs { get; set; }
    }

    internal sealed class WirePagesSource
    {
        public string? Type { get; set; }
        public WirePagesSourceConfig? Config { get; set; }
    }

    internal sealed class WirePagesSourceConfig
    {
        public string? Owner { get; set; }
        public string? RepoName { get; set; }
        public string? ProductionBranch { get; set; }
    }

    internal sealed class WirePagesBuildConfig
    {
        public string? BuildCommand { get; set; }
        public string? DestinationDir { get; set; }
        public string? RootDir { get; set; }
    }

    internal sealed class WirePagesDeploymentConfigs
    {
        public WirePagesEnvironment? Production { get; set; }
        public WirePagesEnvironment? Preview { get; set; }
    }

    internal sealed class WirePagesEnvironment
    {
        /// <summary>A null entry deletes the variable in a PATCH (dictionary values are written even when null).</summary>
        public Dictionary<string, WirePagesEnvVar?>? EnvVars { get; set; }
    }

    internal sealed class WirePagesEnvVar
    {
        public string? Type { get; set; }
        public string? Value { get; set; }
    }

    internal sealed class WirePagesProjectCreate
    {
        public string Name { get; set; } = "";
        public string ProductionBranch { get; set; } = "";
        public WirePagesSource? Source { get; set; }
        public WirePagesBuildConfig? BuildConfig { get; set; }
    }

    internal sealed class WirePagesEnvVarPatch
    {
        public WirePagesDeploymentConfigs DeploymentConfigs { get; set; } = new WirePagesDeploymentConfigs();
    }

    internal sealed class WirePagesDeployment
    {
        public string Id { get; set; } = "";
        public string? ShortId { get; set; }
        public string? Environment { get; set; }
        public string? Url { get; set; }
        public DateTimeOffset? CreatedOn { get; set; }
        public WirePagesStage? LatestStage { get; set; }
    }

    internal sealed class WirePagesStage
    {
        public string? Name { get; set; }
        public string? Status { get; set; }
    }
}
