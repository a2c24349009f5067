using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Pages;
using CfManagement.Tail;

namespace CfManagement.Commands.Tail
{
    /// <summary>
    /// The deployment Start-CfTail -PagesProject tails, found before any tail is created: the project's newest
    /// deployment of the environment whose latest stage is deploy/success, as wrangler pages deployment tail picks it
    /// when given no deployment. When there is none, <see cref="Error"/> says why (no such project, nothing deployed).
    /// </summary>
    internal sealed class PagesTailTarget
    {
        private PagesTailTarget(TailTarget? target, CfPagesDeployment? deployment, ErrorRecord? error)
        {
            Target = target;
            Deployment = deployment;
            Error = error;
        }

        public TailTarget? Target { get; }
        public CfPagesDeployment? Deployment { get; }
        public ErrorRecord? Error { get; }

        public static async Task<PagesTailTarget> FindAsync(PagesApi pages, string accountId, string project, string environment,
            CancellationToken cancellationToken)
        {
            CfPagesDeployment? deployment;
            try { deployment = await pages.LatestSuccessfulDeploymentAsync(accountId, project, environment, cancellationToken).ConfigureAwait(false); }
            catch (CloudflareApiException ex) when (PagesInput.IsProjectNotFound(ex)) { return Failed(PagesInput.ProjectNotFound(project, ex)); }
            catch (CloudflareApiException ex) { return Failed(ApiErrorMapper.ToErrorRecord(ex, project)); }
            if (deployment == null) return Failed(NoDeployment(project, environment));
            return new PagesTailTarget(TailTarget.ForPagesDeployment(project, deployment.Id, environment), deployment, null);
        }

        private static PagesTailTarget Failed(ErrorRecord error) => new PagesTailTarget(null, null, error);

        private static ErrorRecord NoDeployment(string project, string environment)
        {
            var message = $"The Pages project '{project}' has no successful {environment} deployment to tail.";
            return new ErrorRecord(new ItemNotFoundException(message), ErrorIds.NoSuccessfulPagesDeployment, ErrorCategory.ObjectNotFound, project)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = environment == PagesApi.Production
                        ? "Deploy the project (wrangler pages deploy), or tail its previews with -Environment preview."
                        : "Deploy a preview branch (wrangler pages deploy --branch <branch>), or tail production with -Environment production.",
                },
            };
        }
    }
}
