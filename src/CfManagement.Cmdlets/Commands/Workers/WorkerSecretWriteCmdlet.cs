using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.SecretSets;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// What Set- and Sync-CfWorkerSecret add to the secret-set run (<see cref="SecretSetWriteCmdlet"/>): one target per
    /// Worker script named in the pipeline, -NoBulk single requests, -CreateIfMissing (a draft Worker when the script
    /// does not exist) and -NewVersion (the changes in one new, undeployed version).
    /// </summary>
    public abstract class WorkerSecretWriteCmdlet : SecretSetWriteCmdlet
    {
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

        protected override int ActivityId => 8801;

        private protected void AddEntry(string? script, SecretEntry entry, string scriptParameter = "Script")
        {
            if (WorkerInputValidator.CheckScriptName(script, scriptParameter) is ErrorRecord bad)
            {
                if (!Refusals.Any(r => r.FullyQualifiedErrorId.StartsWith(ErrorIds.InvalidScriptName, StringComparison.Ordinal) && Equals(r.TargetObject, script)))
                    Refuse(bad);
                return;
            }
            AddEntryTo(script!, entry);
        }

        /// <summary>Reads a secrets file for <paramref name="script"/>; parse errors are refusals naming the file and line.</summary>
        protected void AddFile(string script, string path)
        {
            if (WorkerInputValidator.CheckScriptName(script, "Script") is ErrorRecord badScript) { Refuse(badScript); return; }
            AddFileTo(script, path);
        }

        private protected override string TargetNameOf(string key) => WorkerSecretSetTarget.TargetOf(key);

        private protected override ErrorRecord AccountMissing(string firstKey) =>
            InputValidator.AccountRequired("Script", firstKey, "Worker secrets live in an account");

        private protected override ISecretSetTarget CreateTarget(CfSession session, string accountId, string key) =>
            new WorkerSecretSetTarget(session.Workers, accountId, key, NoBulk);

        /// <summary>With -CreateIfMissing, a missing script is created as a draft Worker (after ShouldProcess) and listed again.</summary>
        private protected override IReadOnlyList<SecretListing>? ListCurrent(ISecretSetTarget target, IReadOnlyList<SecretEntry> wanted, bool whatIf)
        {
            var worker = (WorkerSecretSetTarget)target;
            try
            {
                return Await(ct => worker.ListAsync(ct));
            }
            catch (CloudflareApiException ex) when (WorkerSecretSetTarget.IsScriptMissing(ex) && CreateIfMissing)
            {
                if (!ShouldProcess(worker.Target, "Create a draft Worker (it does not exist yet)"))
                    return whatIf ? Array.Empty<SecretListing>() : null;
                try
                {
                    Await(ct => CurrentSession.Workers.CreateDraftScriptAsync(CurrentSession.AccountId!, worker.Script, ct));
                    WriteVerbose($"Created the draft Worker '{worker.Script}'.");
                    return Await(ct => worker.ListAsync(ct));
                }
                catch (CloudflareApiException inner)
                {
                    FailAll(worker, wanted, inner);
                    return null;
                }
            }
            catch (CloudflareApiException ex)
            {
                FailAll(worker, wanted, ex);
                return null;
            }
        }

        /// <summary>-NewVersion: every change of the script in one new version (not deployed), one result per secret with its id.</summary>
        private protected override bool ApplyOtherwise(ISecretSetTarget target, List<SecretChange> changes, ILedger ledger, string accountId)
        {
            if (!NewVersion) return false;
            var worker = (WorkerSecretSetTarget)target;
            var message = Message ?? (changes.Count == 1
                ? (changes[0].Kind == SecretChangeKind.Remove ? $"Deleted secret \"{changes[0].Name}\"" : $"Updated secret \"{changes[0].Name}\"")
                : $"Bulk updated {changes.Count} secrets");
            try
            {
                var version = Await(ct => CurrentSession.Workers.PatchLatestVersionSecretsAsync(accountId, worker.Script, WorkerSecretSetTarget.ToPatch(changes), message, ct));
                Record(ledger, accountId, worker.Target, changes);
                WriteVerbose($"{worker.Target}: created version {version.Id} (not deployed; roll it out with Set-CfWorkerDeployment).");
                foreach (var change in changes)
                    WriteObject(new CfSecretResult(worker.Target, change.Name, change.Kind, SecretResultStatus.Applied, versionId: version.Id));
            }
            catch (CloudflareApiException ex)
            {
                var failure = worker.Describe(ex);
                WriteFailures(worker.Target, changes.Select(c => (c, failure, ex)).ToList(), false);
            }
            return true;
        }
    }
}
