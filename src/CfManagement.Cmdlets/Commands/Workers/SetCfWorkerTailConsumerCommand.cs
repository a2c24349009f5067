using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;
using CfManagement.Workers;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Adds, removes or replaces a Worker's tail consumers through its script settings, without a new version or deployment.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfWorkerTailConsumer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ChangeSet)]
    [OutputType(typeof(CfWorkerTailConsumerChange))]
    public sealed class SetCfWorkerTailConsumerCommand : WorkerScriptCmdlet
    {
        private const string ChangeSet = "Change";
        private const string ReplaceSet = "Replace";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string Script { get; set; } = "";

        /// <summary>Consumers to add: script names, or @{ service; environment; namespace } hashtables.</summary>
        [Parameter(ParameterSetName = ChangeSet)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public object[]? Add { get; set; }

        /// <summary>Consumers to remove; a name alone removes that service in every environment and namespace.</summary>
        [Parameter(ParameterSetName = ChangeSet)]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public object[]? Remove { get; set; }

        /// <summary>The complete list of consumers; an empty array removes them all.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReplaceSet)]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public object[]? Replace { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord badScript) errors.Add(badScript);
            var script = Script;
            var add = Parse(Add, nameof(Add), script, errors);
            var remove = Parse(Remove, nameof(Remove), script, errors);
            var replace = Parse(Replace, nameof(Replace), script, errors);
            if (ParameterSetName == ChangeSet && Add == null && Remove == null)
                errors.Add(InputValidator.Invalid(ErrorIds.NothingToChange, nameof(Add), null, "Nothing to change: pass -Add, -Remove or -Replace.",
                    "Name consumers to add or remove (-Add logger), or the whole list with -Replace."));
            foreach (var both in add.Where(a => remove.Any(r => r.Equals(a))))
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(Remove), both.ToString(),
                    $"'{both}' is in both -Add and -Remove.", "Name it in -Add or in -Remove, not both."));
            if (WriteErrors(errors)) return;
            var accountId = RequireWorkerAccount(nameof(Script), Script);
            if (accountId == null) return;

            var api = ScriptSettingsApi;
            IReadOnlyList<CfWorkerTailConsumer> current;
            try { current = Await(ct => api.GetTailConsumersAsync(accountId, script, ct)); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }

            var merge = ParameterSetName == ReplaceSet ? TailConsumerMerge.Replace(current, replace) : TailConsumerMerge.AddRemove(current, add, remove);
            if (!merge.Changed)
            {
                WriteVerbose($"The tail consumers of '{script}' are already as asked ({Describe(current)}): nothing to change, no request sent.");
                foreach (var change in merge.Changes) WriteObject(change);
                return;
            }
            if (!ShouldProcess($"Worker '{script}'", $"Set tail consumers to {Describe(merge.Result)} (now {Describe(current)})")) return;
            var result = merge.Result;
            try { Await(ct => api.SetTailConsumersAsync(accountId, script, result, ct)); }
            catch (CloudflareApiException ex) { WriteError(WorkerApiError(ex, script)); return; }
            foreach (var change in merge.Changes) WriteObject(change);
        }

        private static List<CfWorkerTailConsumer> Parse(object[]? values, string parameter, string script, List<ErrorRecord> errors) =>
            (values ?? Array.Empty<object>()).Select(v => TailConsumerArgument.Parse(v, script, parameter, errors))
                .Where(c => c != null).Select(c => c!).ToList();

        private static string Describe(IReadOnlyList<CfWorkerTailConsumer> consumers) =>
            consumers.Count == 0 ? "none" : string.Join(", ", consumers.Select(c => c.ToString()));
    }
}
