using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Completion;
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
    /// <para type="synopsis">Deletes Worker secrets by name (pipe them from Get-CfWorkerSecret). A secret that is already gone is reported as WorkerSecretNotFound and nothing changes.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfWorkerSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class RemoveCfWorkerSecretCommand : SecretLedgerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("WorkerScript", "ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? Script { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string[]? Name { get; set; }

        /// <summary>Delete in a new version of the Worker (not deployed), for Workers under a gradual deployment; returns a result with the version id.</summary>
        [Parameter]
        public SwitchParameter NewVersion { get; set; }

        protected override void ProcessCfRecord()
        {
            var ok = true;
            if (WorkerInputValidator.CheckScriptName(Script, nameof(Script)) is ErrorRecord badScript) { WriteError(badScript); ok = false; }
            foreach (var name in Name!)
                if (!SecretEntryRules.IsValidName(name))
                {
                    WriteError(InputValidator.Invalid(ErrorIds.InvalidSecretName, nameof(Name), name,
                        $"-Name '{name}' is not a secret name (letters, digits and underscores, not starting with a digit).", "Pass the name as Get-CfWorkerSecret shows it."));
                    ok = false;
                }
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); ok = false; }
            if (!ok) return;

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(InputValidator.AccountRequired("Script", Script, "Worker secrets live in an account"));
                return;
            }
            var accountId = session.AccountId!;
            var target = WorkerSecretSetTarget.TargetOf(Script!);
            foreach (var name in Name!)
            {
                if (!ShouldProcess($"{target}/{name}", NewVersion ? "Remove secret in a new version" : "Remove secret")) continue;
                try
                {
                    if (NewVersion)
                    {
                        var changes = new List<KeyValuePair<string, SecureString?>> { new KeyValuePair<string, SecureString?>(name, null) };
                        var version = Await(ct => session.Workers.PatchLatestVersionSecretsAsync(accountId, Script!, changes, $"Deleted secret \"{name}\"", ct));
                        ForgetFingerprint(accountId, target, name);
                        WriteObject(new CfSecretResult(target, name, SecretChangeKind.Remove, SecretResultStatus.Applied, versionId: version.Id));
                        continue;
                    }
                    Await(ct => session.Workers.DeleteSecretAsync(accountId, Script!, name, ct));
                    ForgetFingerprint(accountId, target, name);
                    WriteVerbose($"Removed {target}/{name}.");
                }
                catch (CloudflareApiException ex) when (!NewVersion && WorkerSecretSetTarget.IsSecretGone(ex))
                {
                    ForgetFingerprint(accountId, target, name);
                    var message = $"The Worker script '{Script}' has no secret '{name}' (already removed?); nothing was changed.";
                    WriteError(new ErrorRecord(new ItemNotFoundException(message, ex), ErrorIds.WorkerSecretNotFound, ErrorCategory.ObjectNotFound, $"{target}/{name}")
                    {
                        ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Get-CfWorkerSecret lists the script's secrets. In automation, -ErrorAction SilentlyContinue makes a repeated removal quiet." },
                    });
                }
                catch (CloudflareApiException ex)
                {
                    var failure = WorkerSecretSetTarget.DescribeFailure(ex, Script!);
                    WriteError(SecretSetErrorRecords.FromFailure(failure, ex, $"{target}/{name}"));
                    if (failure.StopsTarget) return;
                }
            }
        }

    }
}
