using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.SecretSets;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// What Set- and Sync-CfWorkerSecret share: input is collected per script over the whole pipeline, every entry is
    /// checked before the first request (one bad entry refuses the run: a half-applied secrets file is worse than none),
    /// then each script is planned (list + ledger fingerprints) and its changes sent in batches, with one
    /// <see cref="CfSecretResult"/> per secret.
    /// </summary>
    public abstract class WorkerSecretWriteCmdlet : CfSessionCmdlet
    {
        private readonly List<string> _scriptOrder = new List<string>();
        private readonly Dictionary<string, List<SecretEntry>> _entries = new Dictionary<string, List<SecretEntry>>(StringComparer.Ordinal);
        private readonly List<ErrorRecord> _refusals = new List<ErrorRecord>();

        /// <summary>Single PUT (or DELETE) requests, one per secret, instead of secrets-bulk.</summary>
        [Parameter]
        public SwitchParameter NoBulk { get; set; }

        /// <summary>Change the secrets in a new version of the Worker (not deployed), for Workers under a gradual deployment.</summary>
        [Parameter]
        public SwitchParameter NewVersion { get; set; }

        /// <summary>The new version's message (workers/message annotation); wrangler's wording by default.</summary>
        [Parameter]
        [ValidateLength(1, 1000)]
        public string? Message { get; set; }

        /// <summary>Create a draft Worker when the script does not exist, as wrangler does, then set the secrets.</summary>
        [Parameter]
        public SwitchParameter CreateIfMissing { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>Whether secrets the input lacks are deleted (Sync -Prune).</summary>
        protected abstract bool PruneMissing { get; }

        protected abstract string Activity { get; }

        private protected void AddEntry(string? script, SecretEntry entry, string scriptParameter = "Script")
        {
            if (WorkerScriptNames.Check(script, scriptParameter) is ErrorRecord bad)
            {
                if (!_refusals.Any(r => r.FullyQualifiedErrorId.StartsWith(ErrorIds.InvalidWorkerScriptName, StringComparison.Ordinal) && Equals(r.TargetObject, script)))
                    _refusals.Add(bad);
                return;
            }
            if (!_entries.TryGetValue(script!, out var list))
            {
                _entries[script!] = list = new List<SecretEntry>();
                _scriptOrder.Add(script!);
            }
            list.Add(entry);
        }

        /// <summary>A script named with an empty input (an empty file) still takes part: Sync -Prune of an empty file empties the Worker.</summary>
        protected void AddScript(string script)
        {
            if (WorkerScriptNames.Check(script, "Script") is ErrorRecord bad) { _refusals.Add(bad); return; }
            if (_entries.ContainsKey(script)) return;
            _entries[script] = new List<SecretEntry>();
            _scriptOrder.Add(script);
        }

        protected void Refuse(ErrorRecord record) => _refusals.Add(record);

        private protected void Refuse(SecretInputProblem problem, object? target) => _refusals.Add(ToErrorRecord(problem, target));

        /// <summary>Reads a secrets file for <paramref name="script"/>; parse errors are refusals naming the file and line.</summary>
        protected void AddFile(string script, string path)
        {
            if (WorkerScriptNames.Check(script, "Script") is ErrorRecord badScript) { _refusals.Add(badScript); return; }
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
                AddScript(script);
                foreach (var parsed in SecretFileReader.Read(full, path))
                    AddEntry(script, new SecretEntry(parsed.Name, parsed.Value, $"{path} line {parsed.Line}"));
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
            switch (value)
            {
                case null: return null;
                case SecureString secure: return secure;
                case string plain: return Http.SecureStringReader.FromPlainText(plain);
                default: return null;
            }
        }

        private protected static ErrorRecord ToErrorRecord(SecretInputProblem problem, object? target)
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
            foreach (var script in _scriptOrder)
                foreach (var problem in SecretEntryRules.Check(_entries[script], WorkerSecretSetTarget.TargetOf(script), allowDelete: true))
                    _refusals.Add(ToErrorRecord(problem, WorkerSecretSetTarget.TargetOf(script)));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) _refusals.Add(badLedger);
            if (WriteErrors(_refusals) || _scriptOrder.Count == 0) return; // nothing is sent when any input is refused

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(InputValidator.AccountRequired("Script", _scriptOrder[0], "Worker secrets live in an account"));
                return;
            }
            var accountId = session.AccountId!;
            var whatIf = IsWhatIf();
            var ledger = whatIf ? ExistingLedger() : LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            // -WhatIf creates no ledger: without one nothing can be proven unchanged, so every secret shows as a change.
            var key = ledger != null ? Await(ct => ledger.GetFingerprintKeyAsync(ct)) : new byte[32];

            // Plan every script first (reads only), so progress knows the total and -WhatIf shows the whole diff.
            var planned = new List<(WorkerSecretSetTarget Target, List<SecretChange> Changes)>();
            foreach (var script in _scriptOrder)
            {
                var target = new WorkerSecretSetTarget(session.Workers, accountId, script, NoBulk);
                var wanted = _entries[script];
                var current = List(target, wanted, whatIf);
                if (current == null) continue;
                IReadOnlyDictionary<string, string> fingerprints = ledger != null
                    ? Await(ct => ledger.GetSecretFingerprintsAsync(accountId, target.Target, ct))
                    : new Dictionary<string, string>();
                var plan = SecretSetPlanner.Plan(accountId, target.Target, current, wanted, fingerprints, key, PruneMissing);
                if (!whatIf)
                    foreach (var name in plan.Unchanged)
                        WriteObject(new CfSecretResult(target.Target, name, null, SecretResultStatus.Unchanged, "The ledger's fingerprint matches: the target already holds this value."));
                WriteVerbose($"{target.Target}: {plan.Changes.Count(c => c.Kind == SecretChangeKind.Add)} to add, {plan.Changes.Count(c => c.Kind == SecretChangeKind.Update)} to update, " +
                             $"{plan.Changes.Count(c => c.Kind == SecretChangeKind.Remove)} to remove, {plan.Unchanged.Count} unchanged.");
                var approved = plan.Changes.Where(c => ShouldProcess($"{target.Target}/{c.Name}", VerbOf(c.Kind))).ToList();
                if (approved.Count > 0) planned.Add((target, approved));
                else if (plan.Changes.Count == 0)
                    WriteVerbose($"{target.Target}: nothing to change; every secret already matches.");
            }

            var total = planned.Sum(p => p.Changes.Count);
            var done = 0;
            const int activityId = 8801;
            try
            {
                foreach (var (target, changes) in planned)
                {
                    if (NewVersion) { ApplyAsVersion(target, changes, ledger!, accountId); done += changes.Count; continue; }
                    (SecretSetFailure Failure, CloudflareApiException Error)? stopped = null;
                    foreach (var batch in SecretBatchApplier.Split(changes, target.BatchLimit))
                    {
                        if (total > target.BatchLimit || NoBulk)
                            WriteProgress(new ProgressRecord(activityId, Activity, $"{done} of {total} secrets; {target.Target}")
                            { PercentComplete = total == 0 ? 100 : Math.Min(100, 100 * done / total) });
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
                        Record(ledger!, accountId, target.Target, outcome.Applied);
                        foreach (var change in outcome.Applied)
                            WriteObject(new CfSecretResult(target.Target, change.Name, change.Kind, SecretResultStatus.Applied));
                        WriteFailures(target.Target, outcome.Failed, stopped != null);
                        stopped ??= outcome.Stop;
                        done += batch.Count;
                    }
                }
            }
            finally
            {
                if (total > 0) WriteProgress(new ProgressRecord(activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The ledger for a -WhatIf run: the one that exists, never a new SQLite file (null when there is none).</summary>
        private ILedger? ExistingLedger()
        {
            var session = CurrentSession;
            var d1 = LedgerDatabaseId ?? (LedgerPath == null ? session.LedgerDatabaseId ?? Environment.GetEnvironmentVariable(LedgerAccess.D1Variable) : null);
            if (string.IsNullOrWhiteSpace(d1) && !System.IO.File.Exists(LedgerPath ?? session.LedgerPath ?? LedgerPaths.DefaultSqlitePath())) return null;
            return LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
        }

        /// <summary>The target's secrets now; null (after writing the error and a Failed result per secret) when it cannot be read.</summary>
        private IReadOnlyList<SecretListing>? List(WorkerSecretSetTarget target, IReadOnlyList<SecretEntry> wanted, bool whatIf)
        {
            try
            {
                return Await(ct => target.ListAsync(ct));
            }
            catch (CloudflareApiException ex) when (WorkerSecretSetTarget.IsScriptMissing(ex) && CreateIfMissing)
            {
                if (!ShouldProcess(target.Target, "Create a draft Worker (it does not exist yet)"))
                    return whatIf ? Array.Empty<SecretListing>() : null;
                try
                {
                    Await(ct => CurrentSession.Workers.CreateDraftScriptAsync(CurrentSession.AccountId!, target.Script, ct));
                    WriteVerbose($"Created the draft Worker '{target.Script}'.");
                    return Await(ct => target.ListAsync(ct));
                }
                catch (CloudflareApiException inner)
                {
                    FailAll(target, wanted, inner);
                    return null;
                }
            }
            catch (CloudflareApiException ex)
            {
                FailAll(target, wanted, ex);
                return null;
            }
        }

        private void FailAll(WorkerSecretSetTarget target, IReadOnlyList<SecretEntry> wanted, CloudflareApiException ex)
        {
            var failure = target.Describe(ex);
            WriteError(ToErrorRecord(failure, ex, target.Target));
            if (IsWhatIf()) return;
            foreach (var entry in wanted)
                WriteObject(new CfSecretResult(target.Target, entry.Name, null, SecretResultStatus.Failed, failure.Reason, failure.ErrorId));
        }

        private void ApplyAsVersion(WorkerSecretSetTarget target, List<SecretChange> changes, ILedger ledger, string accountId)
        {
            var message = Message ?? (changes.Count == 1
                ? (changes[0].Kind == SecretChangeKind.Remove ? $"Deleted secret \"{changes[0].Name}\"" : $"Updated secret \"{changes[0].Name}\"")
                : $"Bulk updated {changes.Count} secrets");
            try
            {
                var version = Await(ct => CurrentSession.Workers.PatchLatestVersionSecretsAsync(accountId, target.Script, WorkerSecretSetTarget.ToPatch(changes), message, ct));
                Record(ledger, accountId, target.Target, changes);
                WriteVerbose($"{target.Target}: created version {version.Id} (not deployed; roll it out with Set-CfWorkerDeployment).");
                foreach (var change in changes)
                    WriteObject(new CfSecretResult(target.Target, change.Name, change.Kind, SecretResultStatus.Applied, versionId: version.Id));
            }
            catch (CloudflareApiException ex)
            {
                var failure = target.Describe(ex);
                WriteFailures(target.Target, changes.Select(c => (c, failure, ex)).ToList(), false);
            }
        }

        /// <summary>Records what was applied: a fingerprint per written value, none for a removed secret.</summary>
        private void Record(ILedger ledger, string accountId, string target, IReadOnlyList<SecretChange> applied)
        {
            if (applied.Count == 0) return;
            var fingerprints = applied.ToDictionary(c => c.Name, c => c.Fingerprint, StringComparer.Ordinal);
            AwaitEvenIfStopping(ct => ledger.SetSecretFingerprintsAsync(accountId, target, fingerprints, ct));
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

        private static string VerbOf(SecretChangeKind kind) => kind switch
        {
            SecretChangeKind.Add => "Add secret",
            SecretChangeKind.Update => "Update secret",
            _ => "Remove secret",
        };

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }
    }
}
