using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Ledger;

namespace CfManagement.Commands.Base
{
    /// <summary>
    /// A command that changes Worker or Pages secrets and keeps the ledger's value fingerprints in step: the
    /// -LedgerPath/-LedgerDatabaseId it is told, the ledger it opens, and erasing a fingerprint when a secret is gone
    /// (so a later Set must write the value again).
    /// </summary>
    public abstract class SecretLedgerCmdlet : CfSessionCmdlet
    {
        private ILedger? _ledger;

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        private protected ILedger OpenLedger() => _ledger ??= LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId);

        /// <summary>The ledger for a -WhatIf run: the one that exists, never a new SQLite file (null when there is none).</summary>
        private protected ILedger? ExistingLedger()
        {
            var session = CurrentSession;
            var d1 = LedgerDatabaseId ?? (LedgerPath == null ? session.LedgerDatabaseId ?? Environment.GetEnvironmentVariable(LedgerAccess.D1Variable) : null);
            if (string.IsNullOrWhiteSpace(d1) && !System.IO.File.Exists(LedgerPath ?? session.LedgerPath ?? LedgerPaths.DefaultSqlitePath())) return null;
            return OpenLedger();
        }

        /// <summary>The secret is gone, so its fingerprint must go too (a later Set must write the value again).</summary>
        private protected void ForgetFingerprint(string accountId, string target, string name)
        {
            var ledger = OpenLedger();
            AwaitEvenIfStopping(ct => ledger.SetSecretFingerprintsAsync(accountId, target, new Dictionary<string, string?> { [name] = null }, ct));
        }
    }
}
