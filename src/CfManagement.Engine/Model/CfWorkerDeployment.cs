using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>
    /// A deployment of a Worker: which versions serve traffic at what percentage. Cloudflare lists the one serving
    /// traffic first (<see cref="IsCurrent"/>); older ones are history.
    /// </summary>
    public sealed class CfWorkerDeployment
    {
        public CfWorkerDeployment(string scriptName, string id, DateTimeOffset? createdOn, string? source, string? strategy,
            string? authorEmail, string? message, string? triggeredBy, IReadOnlyList<CfWorkerTraffic> versions, bool isCurrent)
        {
            ScriptName = scriptName;
            Id = id;
            CreatedOn = createdOn;
            Source = source;
            Strategy = strategy;
            AuthorEmail = authorEmail;
            Message = message;
            TriggeredBy = triggeredBy;
            Versions = versions;
            IsCurrent = isCurrent;
        }

        public string ScriptName { get; }
        public string Id { get; }
        public DateTimeOffset? CreatedOn { get; }
        public string? Source { get; }
        public string? Strategy { get; }
        public string? AuthorEmail { get; }
        public string? Message { get; }
        public string? TriggeredBy { get; }
        public IReadOnlyList<CfWorkerTraffic> Versions { get; }
        /// <summary>True for the deployment serving traffic now.</summary>
        public bool IsCurrent { get; }

        /// <summary>Short version ids (first 8 characters) with their share, largest first.</summary>
        public string Traffic => string.Join(", ", Versions.OrderByDescending(v => v.Percentage)
            .Select(v => (v.VersionId.Length > 8 ? v.VersionId.Substring(0, 8) : v.VersionId) + " " + v.Percentage.ToString("0.##", CultureInfo.InvariantCulture) + "%"));

        /// <summary>The share <paramref name="versionId"/> serves in this deployment, 0 when it is not in it.</summary>
        public double PercentageOf(string versionId) =>
            Versions.Where(v => string.Equals(v.VersionId, versionId, StringComparison.OrdinalIgnoreCase)).Sum(v => v.Percentage);

        public override string ToString() => $"{ScriptName} {Id}: {Traffic}";
    }
}
