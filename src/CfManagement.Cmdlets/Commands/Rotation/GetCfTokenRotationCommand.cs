using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Rotation;
using CfManagement.Validation;

namespace CfManagement.Commands.Rotation
{
    /// <summary>
    /// <para type="synopsis">Gets staged rotations (Invoke-CfTokenRotation) from the ledger: the credential, the last completed stage, per-consumer progress and whether it is running, failed or complete.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfTokenRotation")]
    [OutputType(typeof(CfTokenRotation))]
    public sealed class GetCfTokenRotationCommand : CfSessionCmdlet
    {
        /// <summary>The credentials' vault secret names (wildcards); Name binds from Get-CfVaultCredential output.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        public string[]? SecretName { get; set; }

        /// <summary>Only rotations of credentials in this vault.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>One rotation by its id.</summary>
        [Parameter]
        public string? Id { get; set; }

        /// <summary>Only rotations not completed (Running or Failed): the ones a rerun resumes.</summary>
        [Parameter]
        public SwitchParameter Incomplete { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            foreach (var name in SecretName ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(name))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(SecretName), name, "-SecretName must not be empty or white space.", "Pass a vault secret name or a wildcard pattern, or omit -SecretName."));
                else if (InputValidator.CheckWildcard(name, nameof(SecretName)) is ErrorRecord badName) errors.Add(badName);
            }
            if (Vault != null && string.IsNullOrWhiteSpace(Vault))
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(Vault), Vault, "-Vault must not be empty or white space.", "Pass a vault name from Get-SecretVault, or omit -Vault."));
            if (InputValidator.CheckOperationId(Id, nameof(Id)) is ErrorRecord badId) errors.Add(badId);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var ledger = LedgerAccess.OpenExisting(this, LedgerPath, LedgerDatabaseId);
            if (ledger == null) return;
            var patterns = (SecretName ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var rotations = TokenRotationReader.Load(this, ledger, Id)
                .Where(r => patterns.Count == 0 || patterns.Any(p => p.IsMatch(r.SecretName)))
                .Where(r => Vault == null || string.Equals(r.Vault, Vault, StringComparison.OrdinalIgnoreCase))
                .Where(r => !Incomplete || !r.IsComplete)
                .ToList();
            if (Id != null && rotations.Count == 0 && patterns.Count == 0 && Vault == null && !Incomplete)
            {
                WriteError(TokenRotationReader.NotFound(Id));
                return;
            }
            WriteObject(rotations, true);
        }
    }
}
