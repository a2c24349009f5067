using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Gets the account's Worker scripts, each with the versions serving its traffic and at what percentage.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfWorker")]
    [OutputType(typeof(CfWorker))]
    public sealed class GetCfWorkerCommand : WorkerScriptCmdlet
    {
        /// <summary>Script names; wildcards filter, an exact name that does not exist is an error.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName", "Script")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only Workers with every one of these tags (the API's tags=NAME:yes).</summary>
        [Parameter]
        public string[]? Tag { get; set; }

        /// <summary>Only Workers with none of these tags (tags=NAME:no).</summary>
        [Parameter]
        public string[]? ExcludeTag { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            foreach (var name in Name ?? Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    if (InputValidator.CheckWildcard(name, nameof(Name)) is ErrorRecord badPattern) errors.Add(badPattern);
                }
                else if (WorkerInputValidator.CheckScriptName(name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            }
            foreach (var tag in Tag ?? Array.Empty<string>())
                if (WorkerInputValidator.CheckTag(tag, nameof(Tag)) is ErrorRecord badTag) errors.Add(badTag);
            foreach (var tag in ExcludeTag ?? Array.Empty<string>())
                if (WorkerInputValidator.CheckTag(tag, nameof(ExcludeTag)) is ErrorRecord badTag) errors.Add(badTag);
            foreach (var both in (Tag ?? Array.Empty<string>()).Intersect(ExcludeTag ?? Array.Empty<string>(), StringComparer.Ordinal))
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(ExcludeTag), both,
                    $"-Tag and -ExcludeTag both name '{both}': no Worker can have and lack it.", "Name the tag in one of them."));
            if (WriteErrors(errors)) return;

            var accountId = RequireWorkerAccount(nameof(Name), Name);
            if (accountId == null) return;
            var filter = string.Join(",", (Tag ?? Array.Empty<string>()).Select(t => t + ":yes").Concat((ExcludeTag ?? Array.Empty<string>()).Select(t => t + ":no")));

            var scriptsApi = ScriptsApi;
            IReadOnlyList<CfWorker> scripts;
            try { scripts = Await(ct => scriptsApi.ListAsync(accountId, filter, ct)); }
            catch (CloudflareApiException ex) { WriteError(ApiErrorMapper.ToErrorRecord(ex, accountId)); return; }

            var names = Name ?? Array.Empty<string>();
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var selected = scripts.Where(s => patterns.Count == 0 || patterns.Any(p => p.IsMatch(s.ScriptName))).ToList();

            var deployments = DeploymentsApi;
            const int activityId = 8081;
            for (var i = 0; i < selected.Count; i++)
            {
                var script = selected[i];
                if (selected.Count > 1)
                    WriteProgress(new ProgressRecord(activityId, "Reading Worker deployments", $"{script.ScriptName} ({i + 1} of {selected.Count})")
                    {
                        PercentComplete = 100 * i / selected.Count,
                    });
                CfWorkerDeployment? current = null;
                try { current = Await(ct => deployments.ListAsync(accountId, script.ScriptName, ct)).FirstOrDefault(); }
                catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script.ScriptName)); }
                WriteObject(script.WithDeployment(current));
            }
            if (selected.Count > 1)
                WriteProgress(new ProgressRecord(activityId, "Reading Worker deployments", "Done") { RecordType = ProgressRecordType.Completed });

            foreach (var missing in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !scripts.Any(s => s.ScriptName == n)))
            {
                var message = Tag != null || ExcludeTag != null
                    ? $"No Worker script named '{missing}' with the tags asked for is in this account."
                    : $"No Worker script named '{missing}' is in this account.";
                WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.WorkerScriptNotFound, ErrorCategory.ObjectNotFound, missing)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Get-CfWorker without -Name lists every script (Tab completes names)." },
                });
            }
        }
    }
}
