using System;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Validation;

namespace CfManagement.Commands.Managed
{
    /// <summary>
    /// <para type="synopsis">Reads the ledger: managed tokens minted, rotations, health checks, repairs, revocations and cleanups, with filters.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfLedger")]
    [OutputType(typeof(LedgerEntry))]
    public sealed class GetCfLedgerCommand : CfSessionCmdlet
    {
        [Parameter]
        public LedgerEntryKind? Kind { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TokenId { get; set; }

        [Parameter]
        [SupportsWildcards]
        public string? TokenName { get; set; }

        [Parameter]
        public string? Purpose { get; set; }

        [Parameter]
        public string? OperationId { get; set; }

        [Parameter]
        public LedgerOutcome? Outcome { get; set; }

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter]
        public DateTime? Until { get; set; }

        /// <summary>Only the newest N entries.</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int? Last { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        protected override void ProcessCfRecord()
        {
            if (TokenId != null && InputValidator.CheckId(TokenId, nameof(TokenId), "token") is ErrorRecord badId) { WriteError(badId); return; }
            if (InputValidator.CheckWildcard(TokenName, nameof(TokenName)) is ErrorRecord badName) { WriteError(badName); return; }
            if (InputValidator.CheckOperationId(OperationId) is ErrorRecord badOperation) { WriteError(badOperation); return; }
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) { WriteError(badLedger); return; }
            if (Since.HasValue && Until.HasValue && Since.Value > Until.Value)
            {
                WriteError(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(Since), Since, "-Since is after -Until.", "Swap them."));
                return;
            }
            var query = new LedgerQuery
            {
                Kind = Kind, TokenId = TokenId, TokenName = TokenName, Purpose = Purpose, OperationId = OperationId, Outcome = Outcome,
                Since = Since.HasValue ? CfManagement.Tokens.TokenInputValidation.ToUtc(Since.Value) : (DateTimeOffset?)null,
                Until = Until.HasValue ? CfManagement.Tokens.TokenInputValidation.ToUtc(Until.Value) : (DateTimeOffset?)null,
                Last = Last,
            };
            var ledger = LedgerAccess.OpenExisting(this, LedgerPath, LedgerDatabaseId);
            if (ledger == null) return;
            WriteObject(Await(ct => ledger.QueryAsync(query, ct)), true);
        }
    }
}
