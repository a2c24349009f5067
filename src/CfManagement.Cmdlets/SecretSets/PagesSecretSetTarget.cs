using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Pages;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// One environment (production or preview) of a Pages project as a secret set: listed from GET project, changed by
    /// a PATCH of deployment_configs.{environment}.env_vars that names only the changed variables (null deletes).
    /// </summary>
    internal sealed class PagesSecretSetTarget : ISecretSetTarget
    {
        /// <summary>
        /// Cloudflare documents no limit for one project PATCH and no "too many" code; 100 keeps each request the size of
        /// a Worker secrets-bulk batch, so a failure never costs more than that many results.
        /// </summary>
        public const int PatchLimit = 100;

        private readonly PagesApi _pages;
        private readonly string _accountId;

        public PagesSecretSetTarget(PagesApi pages, string accountId, string project, string environment)
        {
            _pages = pages;
            _accountId = accountId;
            Project = project;
            Environment = environment;
        }

        public string Project { get; }
        public string Environment { get; }
        public string Target => TargetOf(Project, Environment);
        public int BatchLimit => PatchLimit;

        public static string TargetOf(string project, string environment) => $"pages:{project}/{environment}";

        public async Task<IReadOnlyList<SecretListing>> ListAsync(CancellationToken ct)
        {
            var project = await _pages.GetAsync(_accountId, Project, ct).ConfigureAwait(false);
            return project.Variables.Where(v => v.Environment == Environment).Select(v => new SecretListing(v.Name, v.Type)).ToList();
        }

        public Task ApplyAsync(IReadOnlyList<SecretChange> batch, CancellationToken ct)
        {
            var changes = new Dictionary<string, SecureString?>(System.StringComparer.Ordinal);
            foreach (var change in batch) changes[change.Name] = change.Value;
            return _pages.SetSecretsAsync(_accountId, Project, Environment, changes, ct);
        }

        public bool IsBatchTooLarge(CloudflareApiException failure) => false;

        public SecretSetFailure Describe(CloudflareApiException failure)
        {
            if (PagesInput.IsProjectNotFound(failure))
                return new SecretSetFailure(ErrorIds.PagesProjectNotFound, ErrorCategory.ObjectNotFound,
                    $"The Pages project '{Project}' does not exist in this account: {failure.Message}",
                    "Check the name with Get-CfPagesProject, or create it with New-CfPagesProject.", stopsTarget: true);
            var (errorId, category) = ApiErrorMapper.Classify(failure);
            var status = failure.StatusCode.HasValue ? (int)failure.StatusCode.Value : 0;
            return new SecretSetFailure(errorId, category, failure.Message,
                ApiErrorMapper.ToErrorRecord(failure, Target).ErrorDetails?.RecommendedAction ?? "Correct the request and retry.",
                stopsTarget: status == 401 || status == 403);
        }
    }
}
