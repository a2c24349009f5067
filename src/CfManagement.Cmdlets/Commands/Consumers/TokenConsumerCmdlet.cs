using System;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;

namespace CfManagement.Commands.Consumers
{
    /// <summary>
    /// A consumer-map command: the ledger it reads or writes (-LedgerPath / -LedgerDatabaseId, else the session's, else
    /// CFMANAGEMENT_LEDGER_D1_DATABASE_ID / CFMANAGEMENT_LEDGER_PATH / the per-user file), opened as every ledger command
    /// opens it (LedgerAccess), and ledger failures reported with LedgerUnavailable.
    /// </summary>
    public abstract class TokenConsumerCmdlet : CfSessionCmdlet
    {
        /// <summary>The SQLite ledger file (default: the session's, CFMANAGEMENT_LEDGER_PATH, or the per-user file).</summary>
        [Parameter]
        public string? LedgerPath { get; set; }

        /// <summary>The D1 database id of a shared ledger (default: the session's or CFMANAGEMENT_LEDGER_D1_DATABASE_ID).</summary>
        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        /// <summary>Runs a ledger call; a failure is a non-terminating LedgerUnavailable error (false), never a raw exception.</summary>
        private protected bool TryLedger(Action<ILedger> work, ILedger ledger, object? target)
        {
            try
            {
                work(ledger);
                return true;
            }
            catch (LedgerException ex)
            {
                var message = $"The ledger ({ledger.Location}) failed: {ex.Message}";
                WriteError(new ErrorRecord(new InvalidOperationException(message, ex), ErrorIds.LedgerUnavailable, ErrorCategory.ResourceUnavailable, target)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Check the ledger (a writable file, or a D1 database the token can use: 'D1 Write'), then retry; the consumer map is unchanged unless the command said otherwise." },
                });
                return false;
            }
            catch (ArgumentException ex)
            {
                // SecretGuard's last line: input checks refuse these first, so this is a safety net; its message names the field only.
                WriteError(new ErrorRecord(ex, ErrorIds.ConsumerLooksLikeSecret, ErrorCategory.InvalidArgument, null));
                return false;
            }
        }
    }
}
