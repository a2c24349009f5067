using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Managed;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Managed
{
    /// <summary>
    /// <para type="synopsis">Gets the tokens minted by New-CfManagedToken: Cloudflare's status and expiry joined with the ledger's purpose and destinations.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfManagedToken")]
    [OutputType(typeof(CfManagedToken))]
    public sealed class GetCfManagedTokenCommand : CfSessionCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string? Name { get; set; }

        [Parameter]
        [SupportsWildcards]
        public string? Purpose { get; set; }

        /// <summary>Only tokens past their expiry (by Cloudflare's status or the recorded expiry).</summary>
        [Parameter]
        public SwitchParameter Expired { get; set; }

        /// <summary>Also list tokens already revoked, rolled back or replaced.</summary>
        [Parameter]
        public SwitchParameter IncludeRemoved { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (InputValidator.CheckWildcard(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            if (InputValidator.CheckWildcard(Purpose, nameof(Purpose)) is ErrorRecord badPurpose) errors.Add(badPurpose);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;
            var name = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var purpose = Purpose == null ? null : new WildcardPattern(Purpose, WildcardOptions.IgnoreCase);
            var ledger = LedgerAccess.OpenExisting(this, LedgerPath, LedgerDatabaseId);
            if (ledger == null) return;
            foreach (var token in ManagedTokenView.Load(this, ledger)
                         .Where(t => name == null || name.IsMatch(t.Name))
                         .Where(t => purpose == null || purpose.IsMatch(t.Purpose))
                         .Where(t => !Expired || t.IsExpired)
                         .Where(t => IncludeRemoved || !ManagedTokenStates.IsRemoved(t.State)))
                WriteObject(token);
        }
    }
}
