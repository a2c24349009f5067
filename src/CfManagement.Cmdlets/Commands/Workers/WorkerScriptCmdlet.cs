using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// What the Worker script, version, deployment and tail-consumer commands share: the account they need, the API
    /// clients over the session, and one reading of "not found" (the script, or a version of it).
    /// </summary>
    public abstract class WorkerScriptCmdlet : CfSessionCmdlet
    {
        /// <summary>The session's account id; null (after writing the error) when the session has none.</summary>
        protected string? RequireWorkerAccount(string parameterName, object? value)
        {
            var accountId = CurrentSession.AccountId;
            if (!string.IsNullOrEmpty(accountId)) return accountId;
            WriteError(InputValidator.AccountRequired(parameterName, value, "Workers live in an account"));
            return null;
        }

        protected WorkerScriptsApi ScriptsApi => new WorkerScriptsApi(CurrentSession.Client);
        protected WorkerVersionsApi VersionsApi => new WorkerVersionsApi(CurrentSession.Client);
        protected WorkerDeploymentsApi DeploymentsApi => new WorkerDeploymentsApi(CurrentSession.Client);
        protected WorkerScriptSettingsApi ScriptSettingsApi => new WorkerScriptSettingsApi(CurrentSession.Client);

        /// <summary>
        /// A failed call about <paramref name="script"/> (and <paramref name="versionId"/>): Cloudflare's 10007/10090
        /// mean no such script (WorkerScriptNotFound); another 404 while a version was named means no such version.
        /// Everything else keeps its ErrorId by HTTP outcome and Cloudflare's codes and messages.
        /// </summary>
        protected ErrorRecord WorkerApiError(CloudflareApiException ex, string script, string? versionId = null)
        {
            var status = ex.StatusCode.HasValue ? (int)ex.StatusCode.Value : 0;
            if (ex.HasCode(10007) || ex.HasCode(10090))
                return Retarget(ApiErrorMapper.ToErrorRecord(ex, script), ErrorIds.WorkerScriptNotFound, ErrorCategory.ObjectNotFound,
                    $"There is no Worker script '{script}' in this account (Cloudflare {string.Join(", ", ex.AllCodes)}).",
                    "Check the name: Get-CfWorker lists the account's scripts (Tab completes -Script).");
            if (status == 404 && versionId != null)
                return Retarget(ApiErrorMapper.ToErrorRecord(ex, versionId), ErrorIds.WorkerVersionNotFound, ErrorCategory.ObjectNotFound,
                    $"Worker '{script}' has no version '{versionId}' ({ex.Message}).",
                    $"Get-CfWorkerVersion -Script {script} lists its versions.");
            return ApiErrorMapper.ToErrorRecord(ex, versionId ?? script);
        }

        private static ErrorRecord Retarget(ErrorRecord mapped, string errorId, ErrorCategory category, string message, string action) =>
            new ErrorRecord(mapped.Exception, errorId, category, mapped.TargetObject)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
