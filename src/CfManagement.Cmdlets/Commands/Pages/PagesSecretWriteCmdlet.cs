using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Pages;
using CfManagement.SecretSets;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// What Set- and Sync-CfPagesSecret share, on the secret-set engine the Worker commands use (SecretSets: entry rules,
    /// .env/JSON readers, planner with ledger fingerprints, batch applier, one CfSecretResult per secret): input is
    /// collected over the whole pipeline, every entry is checked before the first request (one bad entry refuses the
    /// run), then the environment is listed, planned and changed in PATCH batches.
    /// </summary>
    public abstract class PagesSecretWriteCmdlet : PagesCmdlet
    {
        private readonly List<SecretEntry> _entries = new List<SecretEntry>();
        private readonly List<ErrorRecord> _refusals = new List<ErrorRecord>();

        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string Project { get; set; } = "";

        /// <summary>production (default) or preview.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string Environment { get; set; } = PagesApi.Production;

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>Whether secrets the input lacks are deleted (Sync -Prune).</summary>
        protected abstract bool PruneMissing { get; }

        protected abstract string Activity { get; }

        private protected void AddEntry(SecretEntry entry) => _entries.Add(entry);

        private protected void Refuse(SecretInputProblem problem, object? target) => _refusals.Add(ToErrorRecord(problem, target));

        /// <summary>Reads a .env/.dev.vars/JSON file; parse errors are refusals naming the file and line.</summary>
        protected void AddFile(string path)
        {
            string full;
            try
            {
                full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is PSArgumentException)
            {
                Refuse(new SecretInputProblem(ErrorIds.SecretFileNotFound, $"-Path '{path}' is not a file system path: {ex.Message}", "Pass a .env, .dev.vars or .json file."), path);
                return;
            }
            try
            {
                foreach (var parsed in SecretFileReader.Read(full, path))
                    _entries.Add(new SecretEntry(parsed.Name, parsed.Value, $"{path} line {parsed.Line}"));
            }
            catch (SecretInputException ex)
            {
                Refuse(ex.Problem, path);
            }
        }

        /// <summary>A pipeline or hashtable value as SecureString at once (Import-Csv gives plain strings); null when it has none.</summary>
        protected static SecureString? ToSecure(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is SecureString secure) return secure;
            return value is string plain ? Http.SecureStringReader.FromPlainText(plain) : null;
        }

        private static ErrorRecord ToErrorRecord(SecretInputProblem problem, object? target)
        {
            var category = problem.ErrorId == ErrorIds.SecretFileSyntaxError ? ErrorCategory.ParserError
                : problem.ErrorId == ErrorIds.SecretFileNotFound ? ErrorCategory.ObjectNotFound
                : problem.ErrorId == ErrorIds.SecretValueTooLarge ? ErrorCategory.LimitsExceeded
                : ErrorCategory.InvalidArgument;
            return new ErrorRecord(new ArgumentException(problem.Message), problem.ErrorId, category, target)
            {
                ErrorDetails = new ErrorDetails(problem.Message) { RecommendedAction = problem.Fix },
            };
        }

        protected override void EndProcessing()
        {
            try
            {
                Run();
            }
            catch (CfRecordException ex)
            {
                WriteError(ex.ErrorRecord);
            }
        }

        private void Run()
        {
            if (PagesInput.CheckProjectName(Project, nameof(Project)) is ErrorRecord badProject) _refusals.Add(badProject);
            if (PagesInput.CheckEnvironment(Environment, nameof(Environment), out var environment) is ErrorRecord badEnvironment) _refusals.Add(badEnvironment);
            var targetName = PagesSecretSetTarget.TargetOf(Project, environment);
            foreach (var problem in SecretEntryRules.Check(_entries, targetName, allowDelete: true))
                _refusals.Add(ToErrorRecord(problem, targetName));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) _refusals.Add(badLedger);
            if (WriteErrors(_refusals)) return; // nothing is sent when any input is refused

            var accountId = RequirePagesAccount(nameof(Project), Project);
            if (accountId == null) return;
            var session = CurrentSession;
            var target = new PagesSecretSetTarget(session.Pages, accountId, Project, environment);
            IReadOnlyList<SecretListing> current;
            try
            {
                current = Await(ct => target.ListAsync(ct));
            }
            catch (CloudflareApiException ex)
            {
                var failure = target.Describe(ex);
                WriteError(ToErrorRecord(failure, ex, target.Target));
                if (!IsWhatIf())
                    foreach (var entry in _entries)
                        WriteObject(new CfSecretResult(target.Target, entry.Name, null, SecretResultStatus.Failed, failure.Reason, failure.ErrorId));
                return;
            }

            var ledger = LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            var key = Await(ct => ledger.GetFingerprintKeyAsync(ct));
            var fingerprints = Await(ct => ledger.GetSecretFingerprintsAsync(accountId, target.Target, ct));
            var plan = SecretSetPlanner.Plan(accountId, target.Target, current, _entries, fingerprints, key, PruneMissing);
            if (!IsWhatIf())
                foreach (var name in plan.Unchanged)
                    WriteObject(new CfSecretResult(target.Target, name, null, SecretResultStatus.Unchanged, "The ledger's fingerprint matches: the project already holds this value."));
            WriteVerbose($"{target.Target}: {plan.Changes.Count(c => c.Kind == SecretChangeKind.Add)} to add, {plan.Changes.Count(c => c.Kind == SecretChangeKind.Update)} to update, " +
                         $"{plan.Changes.Count(c => c.Kind == SecretChangeKind.Remove)} to remove, {plan.Unchanged.Count} unchanged.");
            var approved = plan.Changes.Where(c => ShouldProcess($"{target.Target}/{c.Name}", VerbOf(c.Kind))).ToList();
            if (approved.Count == 0)
            {
                if (plan.Changes.Count == 0) WriteVerbose($"{target.Target}: nothing to change; every secret already matches.");
                return;
            }

            const int activityId = 8802;
            var done = 0;
            (SecretSetFailure Failure, CloudflareApiException Error)? stopped = null;
            try
            {
                foreach (var batch in SecretBatchApplier.Split(approved, target.BatchLimit))
                {
                    if (approved.Count > target.BatchLimit)
                        WriteProgress(new ProgressRecord(activityId, Activity, $"{done} of {approved.Count} secrets; {target.Target}") { PercentComplete = 100 * done / approved.Count });
                    SecretBatchOutcome outcome;
                    if (stopped is { } stop)
                    {
                        outcome = new SecretBatchOutcome();
                        foreach (var change in batch) outcome.Failed.Add((change, stop.Failure, stop.Error));
                    }
                    else
                    {
                        outcome = Await(ct => SecretBatchApplier.ApplyAsync(target, batch, ct));
                    }
                    if (outcome.Applied.Count > 0)
                    {
                        var applied = outcome.Applied.ToDictionary(c => c.Name, c => c.Fingerprint, StringComparer.Ordinal);
                        AwaitEvenIfStopping(ct => ledger.SetSecretFingerprintsAsync(accountId, target.Target, applied, ct));
                    }
                    foreach (var change in outcome.Applied)
                        WriteObject(new CfSecretResult(target.Target, change.Name, change.Kind, SecretResultStatus.Applied));
                    WriteFailures(target.Target, outcome.Failed, stopped != null);
                    stopped ??= outcome.Stop;
                    done += batch.Count;
                }
            }
            finally
            {
                if (approved.Count > target.BatchLimit)
                    WriteProgress(new ProgressRecord(activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>One error per failed request (not per secret) and a Failed result per secret.</summary>
        private void WriteFailures(string target, IReadOnlyList<(SecretChange Change, SecretSetFailure Failure, CloudflareApiException Error)> failed, bool notSent)
        {
            foreach (var group in failed.GroupBy(f => f.Error))
            {
                var first = group.First();
                if (!notSent) WriteError(ToErrorRecord(first.Failure, first.Error, target));
                foreach (var (change, failure, _) in group)
                    WriteObject(new CfSecretResult(target, change.Name, change.Kind, SecretResultStatus.Failed,
                        notSent ? "Not sent: an earlier batch of this target failed. " + failure.Reason : failure.Reason, failure.ErrorId));
            }
        }

        internal static ErrorRecord ToErrorRecord(SecretSetFailure failure, CloudflareApiException ex, object target) =>
            new ErrorRecord(ex, failure.ErrorId, failure.Category, target)
            {
                ErrorDetails = new ErrorDetails(failure.Reason) { RecommendedAction = failure.Fix },
            };

        private static string VerbOf(SecretChangeKind kind) => kind == SecretChangeKind.Add ? "Add secret" : kind == SecretChangeKind.Update ? "Update secret" : "Remove secret";

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }
    }
}
