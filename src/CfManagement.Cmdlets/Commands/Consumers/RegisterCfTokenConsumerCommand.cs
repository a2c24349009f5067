using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Commands.Consumers
{
    /// <summary>
    /// <para type="synopsis">Registers where a credential is used (a Worker secret, Secrets Store, Pages, GitHub Actions or an external consumer) in the ledger's consumer map, so rotation and revoke know what to update.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "CfTokenConsumer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CfTokenConsumer))]
    public sealed class RegisterCfTokenConsumerCommand : TokenConsumerCmdlet
    {
        /// <summary>The credential's vault secret name, e.g. CF_WAF_EDIT_RAXX_APP.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(TokenConsumerCredentialCompleter))]
        public string Credential { get; set; } = "";

        /// <summary>Where it is used: worker:, secrets-store:, pages:, github:, github-output: or external:.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Destination { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        /// <summary>For an Access service token: the name its client id goes under beside the destination's client secret.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ClientIdName { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (TokenConsumerInput.CheckCredential(Credential, nameof(Credential)) is ErrorRecord badCredential) errors.Add(badCredential);
            if (TokenConsumerInput.ParseDestination(Destination, nameof(Destination), out var destination) is ErrorRecord badDestination) errors.Add(badDestination);
            if (TokenConsumerInput.CheckDescription(Description, nameof(Description)) is ErrorRecord badDescription) errors.Add(badDescription);
            // An empty -ClientIdName cell of a CSV means "the default rule".
            var clientIdName = string.IsNullOrWhiteSpace(ClientIdName) ? null : ClientIdName;
            if (TokenConsumerInput.CheckClientIdName(clientIdName, destination, nameof(ClientIdName)) is ErrorRecord badClientId) errors.Add(badClientId);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var credential = Credential.Trim();
            var description = string.IsNullOrWhiteSpace(Description) ? null : Description!.Trim();
            if (!ShouldProcess($"{credential} -> {destination!.Canonical}", "Register token consumer")) return;

            var record = new TokenConsumerRecord
            {
                Credential = credential,
                Destination = destination.Canonical,
                Kind = destination.Kind.ToString(),
                Description = description,
                ClientIdName = clientIdName,
                RegisteredOn = DateTimeOffset.UtcNow,
                RegisteredBy = $"{Environment.UserName}@{Environment.MachineName}",
            };
            var ledger = LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);
            TokenConsumerRecord? stored = null;
            if (!TryLedger(l => stored = Await(ct => l.RegisterTokenConsumerAsync(record, ct)), ledger, record.ToString())) return;
            WriteVerbose(stored!.RegisteredOn < record.RegisteredOn
                ? $"{stored} was registered already (on {stored.RegisteredOn:u}); its entry is updated."
                : $"Registered {stored} in the ledger ({ledger.Location}).");
            WriteObject(TokenConsumerInput.ToModel(stored));
        }
    }
}
