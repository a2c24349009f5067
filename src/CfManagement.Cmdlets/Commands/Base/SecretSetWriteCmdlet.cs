using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.SecretSets;
using CfManagement.Sessions;

namespace CfManagement.Commands.Base
{
    /// <summary>
    /// The one run of Set-/Sync-CfWorkerSecret and Set-/Sync-CfPagesSecret on the secret-set engine: input is
    /// collected per target over the whole pipeline, every entry is checked before the first request (one bad entry
    /// refuses the run: a half-applied secrets file is worse than none), then each target is listed and planned against
    /// the ledger's fingerprints (all of them first, so progress knows the total and -WhatIf shows the whole diff), and
    /// the changes are sent in batches, with one <see cref="CfSecretResult"/> per secret. What differs (the target, how
    /// it is named and listed, the Worker-only new-version path) comes from the subclass.
    /// </summary>
    public abstract class SecretSetWriteCmdlet : SecretLedgerCmdlet
    {
        private readonly List<string> _targetOrder = new List<string>();
        private readonly Dictionary<string, List<SecretEntry>> _entries = new Dictionary<string, List<SecretEntry>>(StringComparer.Ordinal);
        private readonly List<ErrorRecord> _refusals = new List<ErrorRecord>();

        /// <summary>Whether secrets the input lacks are deleted (Sync -Prune).</summary>
        protected abstract bool PruneMissing { get; }

        protected abstract string Activity { get; }

        /// <summary>The progress activity id (one per command family, so nested progress does not collide).</summary>
        protected abstract int ActivityId { get; }

        /// <summary>The reason an Unchanged result gives.</summary>
        protected virtual string UnchangedReason => "The ledger's fingerprint matches: the target already holds this value.";

        /// <summary>The target's name in results and the ledger ("worker:x", "pages:p/env") for a collected target key.</summary>
        private protected abstract string TargetNameOf(string key);

        /// <summary>Refusals of the target parameters themselves, before the entries are checked; called once at the end of the pipeline.</summary>
        private protected virtual void CheckTargetParameters() { }

        /// <summary>The error written when the session has no account (secrets live in one).</summary>
        private protected abstract ErrorRecord AccountMissing(string firstKey);

        private protected abstract ISecretSetTarget CreateTarget(CfSession session, string accountId, string key);

        /// <summary>
        /// Sends all of a target's approved changes some other way than batches (Worker -NewVersion) and returns true,
        /// or returns false to have them batched.
        /// </summary>
        private protected virtual bool ApplyOtherwise(ISecretSetTarget target, List<SecretChange> changes, ILedger ledger, string accountId) => false;

        private protected IReadOnlyList<ErrorRecord> Refusals => _refusals;

        /// <summary>A target named with no entries (an empty file) still takes part: Sync -Prune of an empty file empties it.</summary>
        private protected void AddTarget(string key)
        {
            if (_entries.ContainsKey(key)) return;
            _entries[key] = new List<SecretEntry>();
            _targetOrder.Add(key);
        }

        private protected void AddEntryTo(string key, SecretEntry entry)
        {
            AddTarget(key);
            _entries[key].Add(entry);
        }

        protected void Refuse(ErrorRecord record) => _refusals.Add(record);

        private protected void Refuse(SecretInputProblem problem, object? target) => _refusals.Add(SecretSetErrorRecords.FromInputProblem(problem, target));

        /// <summary>Reads a .env/.dev.vars/JSON file into the target <paramref name="key"/>; parse errors are refusals naming the file and line.</summary>
        private protected void AddFileTo(string key, string path)
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
                AddTarget(key);
                foreach (var parsed in SecretFileReader.Read(full, path))
                    AddEntryTo(key, new SecretEntry(parsed.Name, parsed.Value, $"{path} line {parsed.Line}"));
            }
            catch (SecretInputException ex)
            {
                Refuse(ex.Problem, path);
            }
        }

        /// <summary>-Secret @{ NAME = value }: each key an entry (a SecureString or a string value), any other value a refusal.</summary>
        private protected void AddHashtable(Hashtable secrets, Action<SecretEntry> add)
        {
            foreach (DictionaryEntry pair in secrets)
            {
                var name = pair.Key?.ToString() ?? "";
                var value = ToSecure(pair.Value);
                if (value == null && pair.Value != null)
                    Refuse(new SecretInputProblem(ErrorIds.InvalidSecretInput, $"-Secret key '{name}' holds a {(pair.Value is PSObject p ? p.BaseObject : pair.Value).GetType().Name}; a secret value is a SecureString or a string.",
                        "Give the value as a SecureString (Read-Host -AsSecureString) or a string."), name);
                else
                    add(new SecretEntry(name, value ?? new SecureString(), $"-Secret key '{name}'"));
            }
        }

        /// <summary>A pipeline or hashtable value as SecureString at once (Import-Csv gives plain strings); null when it has none.</summary>
        protected static SecureString? ToSecure(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is SecureString secure) return secure;
            return value is string plain ? Http.SecureStringReader.FromPlainText(plain) : null;
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
            CheckTargetParameters();
            foreach (var key in _targetOrder)
                foreach (var problem in SecretEntryRules.Check(_entries[key], TargetNameOf(key), allowDelete: true))
                    _refusals.Add(SecretSetErrorRecords.FromInputProblem(problem, TargetNameOf(key)));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) _refusals.Add(badLedger);
            if (WriteErrors(_refusals) || _targetOrder.Count == 0) return; // nothing is sent when any input is refused

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(AccountMissing(_targetOrder[0]));
                return;
            }
            var accountId = session.AccountId!;
            var whatIf = IsWhatIf();
            var ledger = whatIf ? ExistingLedger() : OpenLedger();
            // -WhatIf creates no ledger: without one nothing can be proven unchanged, so every secret shows as a change.
            var fingerprintKey = ledger != null ? Await(ct => ledger.GetFingerprintKeyAsync(ct)) : new byte[32];

            var planned = new List<(ISecretSetTarget Target, List<SecretChange> Changes)>();
            foreach (var targetKey in _targetOrder)
            {
                var target = CreateTarget(session, accountId, targetKey);
                var wanted = _entries[targetKey];
                var current = ListCurrent(target, wanted, whatIf);
                if (current == null) continue;
                IReadOnlyDictionary<string, string> fingerprints = ledger != null
                    ? Await(ct => ledger.GetSecretFingerprintsAsync(accountId, target.Target, ct))
                    : new Dictionary<string, string>();
                var plan = SecretSetPlanner.Plan(accountId, target.Target, current, wanted, fingerprints, fingerprintKey, PruneMissing);
                if (!whatIf)
                    foreach (var name in plan.Unchanged)
                        WriteObject(new CfSecretResult(target.Target, name, null, SecretResultStatus.Unchanged, UnchangedReason));
                WriteVerbose($"{target.Target}: {plan.Changes.Count(c => c.Kind == SecretChangeKind.Add)} to add, {plan.Changes.Count(c => c.Kind == SecretChangeKind.Update)} to update, " +
                             $"{plan.Changes.Count(c => c.Kind == SecretChangeKind.Remove)} to remove, {plan.Unchanged.Count} unchanged.");
                var approved = plan.Changes.Where(c => ShouldProcess($"{target.Target}/{c.Name}", VerbOf(c.Kind))).ToList();
                if (approved.Count > 0) planned.Add((target, approved));
                else if (plan.Changes.Count == 0)
                    WriteVerbose($"{target.Target}: nothing to change; every secret already matches.");
            }

            var total = planned.Sum(p => p.Changes.Count);
            var done = 0;
            var progressShown = false;
            try
            {
                foreach (var (target, changes) in planned)
                {
                    if (ApplyOtherwise(target, changes, ledger!, accountId)) { done += changes.Count; continue; }
                    (SecretSetFailure Failure, CloudflareApiException Error)? stopped = null;
                    foreach (var batch in SecretBatchApplier.Split(changes, target.BatchLimit))
                    {
                        // Progress when the work takes more than one request, or goes one secret per request (-NoBulk).
                        if (total > target.BatchLimit || target.BatchLimit == 1)
                        {
                            WriteProgress(new ProgressRecord(ActivityId, Activity, $"{done} of {total} secrets; {target.Target}")
                            { PercentComplete = Math.Min(100, 100 * done / total) });
                            progressShown = true;
                        }
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
                if (progressShown) WriteProgress(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The target's secrets now; null (after writing the error and a Failed result per secret) when it cannot be read.</summary>
        private protected virtual IReadOnlyList<SecretListing>? ListCurrent(ISecretSetTarget target, IReadOnlyList<SecretEntry> wanted, bool whatIf)
        {
            try
            {
                return Await(ct => target.ListAsync(ct));
            }
            catch (CloudflareApiException ex)
            {
                FailAll(target, wanted, ex);
                return null;
            }
        }

        /// <summary>The error of a target that cannot be read or created, and a Failed result per wanted secret (none under -WhatIf).</summary>
        private protected void FailAll(ISecretSetTarget target, IReadOnlyList<SecretEntry> wanted, CloudflareApiException ex)
        {
            var failure = target.Describe(ex);
            WriteError(SecretSetErrorRecords.FromFailure(failure, ex, target.Target));
            if (IsWhatIf()) return;
            foreach (var entry in wanted)
                WriteObject(new CfSecretResult(target.Target, entry.Name, null, SecretResultStatus.Failed, failure.Reason, failure.ErrorId));
        }

        /// <summary>Records what was applied: a fingerprint per written value, none for a removed secret.</summary>
        private protected void Record(ILedger ledger, string accountId, string target, IReadOnlyList<SecretChange> applied)
        {
            if (applied.Count == 0) return;
            var fingerprints = applied.ToDictionary(c => c.Name, c => c.Fingerprint, StringComparer.Ordinal);
            AwaitEvenIfStopping(ct => ledger.SetSecretFingerprintsAsync(accountId, target, fingerprints, ct));
        }

        /// <summary>One error per failed request (not per secret) and a Failed result per secret.</summary>
        private protected void WriteFailures(string target, IReadOnlyList<(SecretChange Change, SecretSetFailure Failure, CloudflareApiException Error)> failed, bool notSent)
        {
            foreach (var group in failed.GroupBy(f => f.Error))
            {
                var first = group.First();
                if (!notSent) WriteError(SecretSetErrorRecords.FromFailure(first.Failure, first.Error, target));
                foreach (var (change, failure, _) in group)
                    WriteObject(new CfSecretResult(target, change.Name, change.Kind, SecretResultStatus.Failed,
                        notSent ? "Not sent: an earlier batch of this target failed. " + failure.Reason : failure.Reason, failure.ErrorId));
            }
        }

        private static string VerbOf(SecretChangeKind kind) => kind switch
        {
            SecretChangeKind.Add => "Add secret",
            SecretChangeKind.Update => "Update secret",
            _ => "Remove secret",
        };

        private protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }
    }
}
