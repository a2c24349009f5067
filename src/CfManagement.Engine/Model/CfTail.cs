using System;

namespace CfManagement.Model
{
    /// <summary>
    /// A live tail at Cloudflare (<c>POST .../workers/scripts/{name}/tails</c> answers <c>{id, url, expires_at}</c>).
    /// The server keeps the socket open past <see cref="ExpiresAt"/> but stops sending events, so a client renews before it.
    /// A tail of a Pages deployment (<c>POST .../pages/projects/{p}/deployments/{d}/tails</c>) also has
    /// <see cref="PagesProject"/> and <see cref="DeploymentId"/>; its <see cref="ScriptName"/> is the project's name.
    /// </summary>
    public sealed class CfTail
    {
        public CfTail(string scriptName, string id, Uri? url, DateTimeOffset? expiresAt)
            : this(scriptName, id, url, expiresAt, null, null)
        {
        }

        public CfTail(string scriptName, string id, Uri? url, DateTimeOffset? expiresAt, string? pagesProject, string? deploymentId)
        {
            ScriptName = scriptName;
            Id = id;
            Url = url;
            ExpiresAt = expiresAt;
            PagesProject = pagesProject;
            DeploymentId = deploymentId;
        }

        public string ScriptName { get; }
        /// <summary>The Pages project of a Pages deployment's tail; null for a Worker's.</summary>
        public string? PagesProject { get; }
        /// <summary>The Pages deployment tailed; null for a Worker's tail.</summary>
        public string? DeploymentId { get; }
        public string Id { get; }
        /// <summary>The <c>wss://</c> address of the trace-v1 socket (absent from a list answer).</summary>
        public Uri? Url { get; }
        public DateTimeOffset? ExpiresAt { get; }

        public override string ToString() => PagesProject != null ? $"{PagesProject}/{DeploymentId}/{Id}" : $"{ScriptName}/{Id}";
    }
}
