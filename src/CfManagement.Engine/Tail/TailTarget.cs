using System;
using CfManagement.Model;

namespace CfManagement.Tail
{
    /// <summary>
    /// What a tail listens to: a Worker script (<c>.../workers/scripts/{name}/tails</c>) or one deployment of a Pages
    /// project (<c>.../pages/projects/{p}/deployments/{d}/tails</c>, API-FACTS "Pages"). The two have the same tail
    /// flow (create, trace-v1 socket, delete); only the routes and the tags on the events differ.
    /// </summary>
    public sealed class TailTarget : IEquatable<TailTarget>
    {
        private TailTarget(string? scriptName, string? pagesProject, string? deploymentId, string? environment)
        {
            ScriptName = scriptName;
            PagesProject = pagesProject;
            DeploymentId = deploymentId;
            Environment = environment;
        }

        public static TailTarget ForScript(string scriptName) => new TailTarget(scriptName, null, null, null);

        /// <param name="environment">production or preview, for messages (the deployment id alone names the target).</param>
        public static TailTarget ForPagesDeployment(string project, string deploymentId, string? environment = null) =>
            new TailTarget(null, project, deploymentId, environment);

        /// <summary>The target a tail was created on (its Pages project and deployment, else its script).</summary>
        public static TailTarget Of(CfTail tail) =>
            tail.PagesProject != null && tail.DeploymentId != null
                ? ForPagesDeployment(tail.PagesProject, tail.DeploymentId)
                : ForScript(tail.ScriptName);

        public string? ScriptName { get; }
        public string? PagesProject { get; }
        public string? DeploymentId { get; }
        public string? Environment { get; }
        public bool IsPages => PagesProject != null;

        /// <summary>The script, or the Pages project: what messages call the tail, and the script name of an event that names none.</summary>
        public string Name => ScriptName ?? PagesProject ?? "";

        public bool Equals(TailTarget? other) =>
            other != null && string.Equals(ScriptName, other.ScriptName, StringComparison.Ordinal)
            && string.Equals(PagesProject, other.PagesProject, StringComparison.Ordinal)
            && string.Equals(DeploymentId, other.DeploymentId, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as TailTarget);

        public override int GetHashCode() =>
            ((ScriptName ?? "").GetHashCode() * 31 + (PagesProject ?? "").GetHashCode()) * 31 + (DeploymentId ?? "").GetHashCode();

        public override string ToString() =>
            IsPages ? $"Pages project '{PagesProject}' ({(Environment == null ? "" : Environment + " ")}deployment {DeploymentId})" : $"Worker '{ScriptName}'";
    }
}
