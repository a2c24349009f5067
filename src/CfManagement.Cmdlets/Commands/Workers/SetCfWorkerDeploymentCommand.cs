using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Validation;
using CfManagement.Workers;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Deploys Worker versions: one at 100%, or two split by percentage for a gradual rollout or a rollback.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfWorkerDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = VersionSet)]
    [OutputType(typeof(CfWorkerDeployment))]
    public sealed class SetCfWorkerDeploymentCommand : WorkerScriptCmdlet
    {
        private const string VersionSet = "Version";
        private const string TrafficSet = "Traffic";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        /// <summary>The version to deploy (a GUID; a piped Get-CfWorkerVersion result binds by its VersionId).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = VersionSet, ValueFromPipelineByPropertyName = true)]
        public string VersionId { get; set; } = "";

        /// <summary>
        /// The share of requests -VersionId serves (0.01-100, default 100). Below 100 the rest goes to -OtherVersionId,
        /// or, without it, to the one other version serving traffic now.
        /// </summary>
        [Parameter(ParameterSetName = VersionSet)]
        public double? Percentage { get; set; }

        /// <summary>The version that serves the rest (100 - -Percentage).</summary>
        [Parameter(ParameterSetName = VersionSet)]
        public string? OtherVersionId { get; set; }

        /// <summary>The whole split as version id = percentage, one or two entries summing to 100.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TrafficSet)]
        public Hashtable? Traffic { get; set; }

        /// <summary>The deployment's message (workers/message), at most 1000 UTF-8 bytes.</summary>
        [Parameter]
        public string? Message { get; set; }

        /// <summary>Deploy even where Cloudflare would refuse, e.g. rolling back to a version older than a secret change (the API's force=true).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord badScript) errors.Add(badScript);
            if (WorkerInputValidator.CheckDeploymentMessage(Message, nameof(Message)) is ErrorRecord badMessage) errors.Add(badMessage);
            var asked = ParameterSetName == TrafficSet
                ? TrafficSplit.FromTable(Traffic!, errors)
                : TrafficSplit.FromVersion(VersionId, Percentage, OtherVersionId, errors);
            if (WriteErrors(errors) || asked == null) return;
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;

            var api = DeploymentsApi;
            var script = Script;
            CfWorkerDeployment? current;
            try { current = Await(ct => api.ListAsync(accountId, script, ct)).FirstOrDefault(); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }

            var split = asked.Resolve(current, script, out var unresolved);
            if (split == null) { WriteError(unresolved!); return; }
            var wanted = Describe(split);
            if (current != null && SameSplit(current.Versions, split) && Message == null)
            {
                WriteVerbose($"Worker '{script}' already serves {wanted}: nothing to change, no deployment sent.");
                WriteObject(current);
                return;
            }
            var now = current == null ? "nothing deployed" : Describe(current.Versions);
            if (!ShouldProcess($"Worker '{script}'", $"Deploy {wanted} (now {now}){(Force ? " with force" : "")}")) return;

            var message = Message;
            var force = Force.IsPresent;
            try { WriteObject(Await(ct => api.CreateAsync(accountId, script, split, message, force, ct))); }
            catch (CloudflareApiException ex)
            {
                var record = WorkerApiError(ex, script, string.Join(" or ", split.Select(v => v.VersionId)));
                // 10220: a rollback to a version older than a secret change, which Cloudflare allows only when forced.
                if (!force && ex.HasCode(RollbackOverSecretChange) && record.ErrorDetails != null)
                    record.ErrorDetails.RecommendedAction = "The secrets changed since that version served traffic, so it would run with today's secrets. " +
                        "If that is intended, repeat with -Force (the API's force=true); otherwise deploy a newer version.";
                WriteError(record);
            }
        }

        /// <summary>Cloudflare's code for a deployment refused because a secret changed since the version served (wrangler's CANNOT_ROLLBACK_WITH_MODIFIED_SECERT_CODE).</summary>
        private const int RollbackOverSecretChange = 10220;

        private static bool SameSplit(IReadOnlyList<CfWorkerTraffic> current, IReadOnlyList<CfWorkerTraffic> wanted) =>
            current.Count == wanted.Count && wanted.All(w => current.Any(c =>
                string.Equals(c.VersionId, w.VersionId, StringComparison.OrdinalIgnoreCase) && (decimal)c.Percentage == (decimal)w.Percentage));

        private static string Describe(IEnumerable<CfWorkerTraffic> split) =>
            string.Join(" + ", split.Select(v => $"{v.VersionId} at {v.Percentage.ToString("0.##", CultureInfo.InvariantCulture)}%"));
    }
}
