using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Consumers
{
    /// <summary>
    /// <para type="synopsis">Gets the consumer map from the ledger: where each credential is used, sorted by credential then destination.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfTokenConsumer")]
    [OutputType(typeof(CfTokenConsumer))]
    public sealed class GetCfTokenConsumerCommand : TokenConsumerCmdlet
    {
        /// <summary>Credentials (vault secret names); wildcards. All when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TokenConsumerCredentialCompleter))]
        public string[]? Credential { get; set; }

        /// <summary>Only consumers of these kinds.</summary>
        [Parameter]
        public CfTokenConsumerKind[]? Kind { get; set; }

        /// <summary>Only consumers whose destination matches (wildcards), e.g. 'worker:api-worker/*'.</summary>
        [Parameter]
        [SupportsWildcards]
        public string? Destination { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            foreach (var pattern in Credential ?? new string[0])
            {
                if (string.IsNullOrWhiteSpace(pattern))
                    errors.Add(InputValidator.Invalid(Errors.ErrorIds.InvalidConsumerCredential, nameof(Credential), pattern,
                        "-Credential must not be empty.", "Pass a vault secret name or a wildcard such as 'CF_*', or omit -Credential for all."));
                else if (CfManagement.Ledger.SecretGuard.LooksLikeSecret(pattern)) errors.Add(TokenConsumerInput.LooksLikeSecret(nameof(Credential)));
                else if (InputValidator.CheckWildcard(pattern, nameof(Credential)) is ErrorRecord badPattern) errors.Add(badPattern);
            }
            if (Destination != null && CfManagement.Ledger.SecretGuard.LooksLikeSecret(Destination)) errors.Add(TokenConsumerInput.LooksLikeSecret(nameof(Destination)));
            else if (Destination != null && InputValidator.CheckWildcard(Destination, nameof(Destination)) is ErrorRecord badDestination) errors.Add(badDestination);
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (WriteErrors(errors)) return;

            var ledger = LedgerAccess.OpenExisting(this, LedgerPath, LedgerDatabaseId);
            if (ledger == null) return; // no ledger yet: nothing registered

            var rows = new List<TokenConsumerRecord>();
            var patterns = Credential == null || Credential.Length == 0 ? new string?[] { null } : Credential.Select(p => (string?)p.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            foreach (var pattern in patterns)
            {
                // The ledger narrows by LIKE (* and ?); a [range] is not LIKE syntax, so that pattern reads all and matches here.
                var inLedger = pattern != null && pattern.IndexOf('[') < 0 ? pattern : null;
                var match = pattern == null ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                IReadOnlyList<TokenConsumerRecord> found = new List<TokenConsumerRecord>();
                if (!TryLedger(l => found = Await(ct => l.GetTokenConsumersAsync(inLedger, ct)), ledger, pattern)) return;
                rows.AddRange(found.Where(r => match == null || match.IsMatch(r.Credential)));
            }
            var destination = Destination == null ? null : new WildcardPattern(Destination, WildcardOptions.IgnoreCase);
            var kinds = Kind == null || Kind.Length == 0 ? null : new HashSet<CfTokenConsumerKind>(Kind);
            var consumers = rows
                .GroupBy(r => (r.Credential.ToUpperInvariant(), r.Destination)).Select(g => g.First())
                .Select(TokenConsumerInput.ToModel)
                .Where(c => kinds == null || kinds.Contains(c.Kind))
                .Where(c => destination == null || destination.IsMatch(c.Destination))
                .OrderBy(c => c.Credential, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.Destination, StringComparer.Ordinal);
            foreach (var consumer in consumers) WriteObject(consumer);
        }
    }
}
