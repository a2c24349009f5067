using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>
    /// Pages projects under /accounts/{id}/pages/projects, and their environment variables, which live inside the
    /// project (a PATCH of deployment_configs.{production|preview}.env_vars changes only the variables it names).
    /// </summary>
    public sealed class PagesApi
    {
        public const string Production = "production";
        public const string Preview = "preview";
        /// <summary>Cloudflare's code for "no such project" (what wrangler's pages secret checks for).</summary>
        public const int ProjectNotFoundCode = 8000007;

        private readonly CloudflareClient _client;

        public PagesApi(CloudflareClient client) => _client = client;

        private static string ProjectsPath(string accountId) => $"accounts/{accountId}/pages/projects";
        internal static string ProjectPath(string accountId, string project) => $"{ProjectsPath(accountId)}/{Uri.EscapeDataString(project)}";

        public Task<ApiPage<CfPagesProject>> ListPageAsync(string accountId, int page, CancellationToken cancellationToken) =>
            _client.GetPageAsync<WirePagesProject, CfPagesProject>(ProjectsPath(accountId), page, ToProject, cancellationToken, perPage: 100);

        /// <summary>One page of a project's deployments in one environment (newest first), as wrangler reads them: <c>GET .../deployments?env=</c>.</summary>
        public Task<ApiPage<CfPagesDeployment>> ListDeploymentsPageAsync(string accountId, string project, string environment, int page,
            CancellationToken cancellationToken) =>
            _client.GetPageAsync<WirePagesDeployment, CfPagesDeployment>($"{ProjectPath(accountId, project)}/deployments", page,
                w => new CfPagesDeployment(w.Id, w.ShortId, project, w.Environment ?? "", w.Url, w.CreatedOn, w.LatestStage?.Name, w.LatestStage?.Status),
                cancellationToken, new Dictionary<string, string> { ["env"] = environment }, perPage: 25);

        /// <summary>
        /// The deployment <c>wrangler pages deployment tail</c> picks when given no deployment: of those in
        /// <paramref name="environment"/> whose latest stage is deploy/success, the newest by created_on. wrangler reads
        /// only the first page; a page without one moves on to the next, so 25 failed builds in a row do not hide an
        /// older live deployment. Null when the environment has none.
        /// </summary>
        public async Task<CfPagesDeployment?> LatestSuccessfulDeploymentAsync(string accountId, string project, string environment,
            CancellationToken cancellationToken)
        {
            for (var page = 1; ; page++)
            {
                var deployments = await ListDeploymentsPageAsync(accountId, project, environment, page, cancellationToken).ConfigureAwait(false);
                var latest = CfPagesDeployment.LatestSuccessful(deployments.Items, environment);
                if (latest != null || !deployments.HasMore) return latest;
            }
        }

        public async Task<CfPagesProject> GetAsync(string accountId, string project, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WirePagesProject>(ProjectPath(accountId, project), cancellationToken).ConfigureAwait(false);
            return ToProject(wire);
        }

        /// <summary>
        /// Creates a project. Not idempotent: after a lost answer the project may exist, and a repeat would fail with
        /// "name taken" for the project the first call made, so a 5xx or reset is reported, never retried.
        /// </summary>
        public async Task<CfPagesProject> CreateAsync(string accountId, CfPagesProjectDefinition definition, CancellationToken cancellationToken)
        {
            var body = new WirePagesProjectCreate
            {
                Name = definition.Name,
                ProductionBranch = definition.ProductionBranch,
                Source = definition.SourceType == null ? null : new WirePagesSource
                {
                    Type = definition.SourceType,
                    Config = new WirePagesSourceConfig { Owner = definition.Owner, RepoName = definition.Repository, ProductionBranch = definition.ProductionBranch },
                },
                BuildConfig = definition.BuildCommand == null && definition.DestinationDir == null && definition.RootDir == null ? null : new WirePagesBuildConfig
                {
                    BuildCommand = definition.BuildCommand, DestinationDir = definition.DestinationDir, RootDir = definition.RootDir,
                },
            };
            var (wire, _) = await _client.SendAsync<WirePagesProject>(HttpMethod.Post, ProjectsPath(accountId), body, idempotent: false, cancellationToken).ConfigureAwait(false);
            return ToProject(wire);
        }

        /// <summary>Deletes a project. Deleting twice changes nothing more (the repeat answers 8000007), so it is retried like a read.</summary>
        public Task DeleteAsync(string accountId, string project, CancellationToken cancellationToken) =>
            _client.SendAsync<object>(HttpMethod.Delete, ProjectPath(accountId, project), null, idempotent: true, cancellationToken);

        /// <summary>
        /// Sets (a value, as secret_text) or deletes (null) the named variables of one environment in one PATCH, all or
        /// nothing. Setting the same values again leaves the same state, so the call is retried like a read. The plain
        /// text exists only inside this request body, built at the last moment; bodies are never logged.
        /// </summary>
        public async Task<CfPagesProject> SetSecretsAsync(string accountId, string project, string environment,
            IReadOnlyDictionary<string, SecureString?> changes, CancellationToken cancellationToken)
        {
            var envVars = new Dictionary<string, WirePagesEnvVar?>(StringComparer.Ordinal);
            foreach (var change in changes)
                envVars[change.Key] = change.Value == null ? null : new WirePagesEnvVar { Type = CfPagesSecret.SecretText, Value = SecureStringReader.ToPlainText(change.Value) };
            var config = new WirePagesEnvironment { EnvVars = envVars };
            var body = new WirePagesEnvVarPatch
            {
                DeploymentConfigs = environment == Production
                    ? new WirePagesDeploymentConfigs { Production = config }
                    : new WirePagesDeploymentConfigs { Preview = config },
            };
            try
            {
                var (wire, _) = await _client.SendAsync<WirePagesProject>(new HttpMethod("PATCH"), ProjectPath(accountId, project), body, idempotent: true, cancellationToken).ConfigureAwait(false);
                return ToProject(wire);
            }
            finally
            {
                foreach (var variable in envVars.Values) if (variable != null) variable.Value = null;
            }
        }

        private static CfPagesProject ToProject(WirePagesProject w)
        {
            var name = w.Name ?? string.Empty;
            var variables = new List<CfPagesSecret>();
            AddVariables(variables, name, Production, w.DeploymentConfigs?.Production);
            AddVariables(variables, name, Preview, w.DeploymentConfigs?.Preview);
            return new CfPagesProject(w.Id, name, w.Subdomain, w.ProductionBranch, w.CreatedOn, w.Source?.Type, w.Source?.Config?.Owner,
                w.Source?.Config?.RepoName, w.BuildConfig?.BuildCommand, w.BuildConfig?.DestinationDir, w.BuildConfig?.RootDir,
                (w.Domains ?? new List<string>()).ToList(), variables);
        }

        // Only names and types are kept: a plain_text value is not a secret, but nothing downstream needs it either.
        private static void AddVariables(List<CfPagesSecret> into, string project, string environment, WirePagesEnvironment? config)
        {
            if (config?.EnvVars == null) return;
            foreach (var pair in config.EnvVars.OrderBy(p => p.Key, StringComparer.Ordinal))
                if (pair.Value != null) into.Add(new CfPagesSecret(project, environment, pair.Key, pair.Value.Type ?? CfPagesSecret.PlainText));
        }
    }
}
