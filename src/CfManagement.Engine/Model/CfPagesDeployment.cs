using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>
    /// A deployment of a Pages project as <c>GET .../deployments</c> lists it: environment, address and where its build
    /// stands (<c>latest_stage</c>; a live deployment's is deploy/success).
    /// </summary>
    public sealed class CfPagesDeployment
    {
        public CfPagesDeployment(string id, string? shortId, string project, string environment, string? url, DateTimeOffset? createdOn,
            string? latestStage, string? latestStageStatus)
        {
            Id = id;
            ShortId = shortId;
            Project = project;
            Environment = environment;
            Url = url;
            CreatedOn = createdOn;
            LatestStage = latestStage;
            LatestStageStatus = latestStageStatus;
        }

        public string Id { get; }
        public string? ShortId { get; }
        public string Project { get; }
        /// <summary>production or preview.</summary>
        public string Environment { get; }
        public string? Url { get; }
        public DateTimeOffset? CreatedOn { get; }
        /// <summary>queued, initialize, clone_repo, build or deploy.</summary>
        public string? LatestStage { get; }
        /// <summary>idle, active, success, failure, canceled, skipped.</summary>
        public string? LatestStageStatus { get; }

        /// <summary>Built and deployed: wrangler's test (latest_stage deploy/success) for a deployment it may tail.</summary>
        public bool IsDeployed =>
            string.Equals(LatestStage, "deploy", StringComparison.Ordinal) && string.Equals(LatestStageStatus, "success", StringComparison.Ordinal);

        /// <summary>Of <paramref name="deployments"/>, the newest deployed one in <paramref name="environment"/> (wrangler's choice), or null.</summary>
        public static CfPagesDeployment? LatestSuccessful(IEnumerable<CfPagesDeployment> deployments, string environment) =>
            deployments.Where(d => d.IsDeployed && string.Equals(d.Environment, environment, StringComparison.Ordinal))
                .OrderByDescending(d => d.CreatedOn ?? DateTimeOffset.MinValue)
                .FirstOrDefault();

        public override string ToString() => $"{Project} {Environment} {ShortId ?? Id}";
    }
}
