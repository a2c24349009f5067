using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Pages;
using CfManagement.SecretSets;
using CfManagement.Validation;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Removes secrets from a Pages project environment. A secret that is already gone is reported as PagesSecretNotFound and changes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CfPagesSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class RemoveCfPagesSecretCommand : SecretLedgerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string Project { get; set; } = "";

        /// <summary>production (default) or preview; piped CfPagesSecret objects bring their own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string Environment { get; set; } = PagesApi.Production;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string[] Name { get; set; } = new string[0];

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (PagesInput.CheckProjectName(Project, nameof(Project)) is ErrorRecord badProject) errors.Add(badProject);
            if (PagesInput.CheckEnvironment(Environment, nameof(Environment), out var environment) is ErrorRecord badEnvironment) errors.Add(badEnvironment);
            foreach (var name in Name)
                if (!SecretEntryRules.IsValidName(name))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, nameof(Name), name,
                        $"-Name '{name}' is not a secret name (letters, digits and underscores, not starting with a digit).", "Pass the name as Get-CfPagesSecret shows it."));
            if (Name.Distinct(StringComparer.Ordinal).Count() != Name.Length)
                errors.Add(InputValidator.Invalid(ErrorIds.DuplicateSecretName, nameof(Name), string.Join(", ", Name), "-Name lists a secret twice.", "Name each secret once."));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;
            if (string.IsNullOrEmpty(CurrentSession.AccountId))
            {
                WriteError(InputValidator.AccountRequired(nameof(Project), Project, "Pages projects live in an account"));
                return;
            }
            var accountId = CurrentSession.AccountId!;

            var session = CurrentSession;
            var target = new PagesSecretSetTarget(session.Pages, accountId, Project, environment);
            IReadOnlyList<SecretListing> current;
            try
            {
                current = Await(ct => target.ListAsync(ct));
            }
            catch (CloudflareApiException ex)
            {
                WriteError(SecretSetErrorRecords.FromFailure(target.Describe(ex), ex, target.Target));
                return;
            }
            var existing = new HashSet<string>(current.Select(s => s.Name), StringComparer.Ordinal);
            var removals = new Dictionary<string, SecureString?>(StringComparer.Ordinal);
            foreach (var name in Name)
            {
                if (!existing.Contains(name))
                {
                    ForgetFingerprint(accountId, target.Target, name);
                    var message = $"The {environment} environment of Pages project '{Project}' has no variable '{name}' (already removed?); nothing was changed.";
                    WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.PagesSecretNotFound, ErrorCategory.ObjectNotFound, $"{target.Target}/{name}")
                    {
                        ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Get-CfPagesSecret lists the environment's secrets. In automation, -ErrorAction SilentlyContinue makes a repeated removal quiet." },
                    });
                    continue;
                }
                if (ShouldProcess($"{target.Target}/{name}", "Remove secret")) removals[name] = null;
            }
            if (removals.Count == 0) return;
            try
            {
                // One PATCH naming every removal (null deletes): all or nothing.
                Await(ct => session.Pages.SetSecretsAsync(accountId, Project, environment, removals, ct));
            }
            catch (CloudflareApiException ex)
            {
                var failure = target.Describe(ex);
                WriteError(SecretSetErrorRecords.FromFailure(failure, ex, target.Target));
                foreach (var name in removals.Keys)
                    WriteObject(new CfSecretResult(target.Target, name, SecretChangeKind.Remove, SecretResultStatus.Failed, failure.Reason, failure.ErrorId));
                return;
            }
            foreach (var name in removals.Keys)
            {
                ForgetFingerprint(accountId, target.Target, name);
                WriteObject(new CfSecretResult(target.Target, name, SecretChangeKind.Remove, SecretResultStatus.Applied));
            }
        }

    }
}
