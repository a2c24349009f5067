using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Commands.Consumers
{
    /// <summary>
    /// <para type="synopsis">Removes a consumer from the ledger's consumer map (the credential is no longer used there). Changes nothing at the destination itself.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Unregister, "CfTokenConsumer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfTokenConsumer))]
    public sealed class UnregisterCfTokenConsumerCommand : TokenConsumerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(TokenConsumerCredentialCompleter))]
        public string Credential { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Destination { get; set; } = "";

        /// <summary>Write the removed consumer to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (TokenConsumerInput.CheckCredential(Credential, nameof(Credential)) is ErrorRecord badCredential) errors.Add(badCredential);
            if (TokenConsumerInput.ParseDestination(Destination, nameof(Destination), out var destination) is ErrorRecord badDestination) errors.Add(badDestination);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var credential = Credential.Trim();
            var shown = $"{credential} -> {destination!.Canonical}";
            var ledger = LedgerAccess.OpenExisting(this, LedgerPath, LedgerDatabaseId);
            if (ledger == null)
            {
                if (LedgerPath == null) WriteNotFound(shown, "no ledger exists yet");
                return;
            }
            if (!ShouldProcess(shown, "Unregister token consumer")) return;

            TokenConsumerRecord? existing = null;
            if (PassThru && !TryLedger(l => existing = FindOne(l, credential, destination.Canonical), ledger, shown)) return;
            var removed = false;
            if (!TryLedger(l => removed = Await(ct => l.UnregisterTokenConsumerAsync(credential, destination.Canonical, ct)), ledger, shown)) return;
            if (!removed)
            {
                WriteNotFound(shown, $"the ledger ({ledger.Location}) has no such consumer");
                return;
            }
            WriteVerbose($"Unregistered {shown} from the ledger ({ledger.Location}).");
            if (PassThru && existing != null) WriteObject(TokenConsumerInput.ToModel(existing));
        }

        private TokenConsumerRecord? FindOne(ILedger ledger, string credential, string destination)
        {
            // The credential as a literal pattern: escape the wildcard characters it may hold ('.' and '-' are literal anyway).
            var literal = WildcardPattern.Escape(credential);
            foreach (var row in Await(ct => ledger.GetTokenConsumersAsync(literal, ct)))
                if (string.Equals(row.Destination, destination, StringComparison.Ordinal)) return row;
            return null;
        }

        private void WriteNotFound(string shown, string why)
        {
            var message = $"{shown} is not registered: {why}.";
            WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.TokenConsumerNotFound, ErrorCategory.ObjectNotFound, shown)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "List what is registered with Get-CfTokenConsumer (pipe its output to Unregister-CfTokenConsumer), and check -LedgerPath / -LedgerDatabaseId.",
                },
            });
        }
    }
}
