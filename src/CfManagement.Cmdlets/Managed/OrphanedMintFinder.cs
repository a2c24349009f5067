using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Commands.Base;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Managed
{
    /// <summary>
    /// A process killed between Cloudflare's create answer and the registry row leaves only the ledger's `mint/Pending`
    /// trace: the name, scope, purpose and the time the create was about to be sent. This reads those traces (older
    /// than the orphan age, with nothing else recorded for their operation) and finds the tokens Cloudflare lists under
    /// that name, issued within the window after the trace, that no registry row knows.
    /// </summary>
    internal static class OrphanedMintFinder
    {
        /// <summary>How long after its trace a create can have been answered (clock skew before, request time after).</summary>
        public static readonly TimeSpan Before = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan After = TimeSpan.FromMinutes(10);

        public sealed class Orphan
        {
            public Orphan(CfToken token, LedgerEntry trace)
            {
                Token = token;
                Trace = trace;
            }

            public CfToken Token { get; }
            public LedgerEntry Trace { get; }
        }

        public static List<Orphan> Find(CfSessionCmdlet cmdlet, ILedger ledger, DateTimeOffset orphanBefore, Func<string, bool> nameMatches)
        {
            var session = cmdlet.CurrentSession;
            // One read of the managed-token entries: a trace is an orphan's only when nothing else was recorded for its operation
            // (mint Failed or Succeeded, a rollback): then the flow died between the trace and Cloudflare's answer.
            var entries = cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.ManagedToken }, ct));
            // A create whose answer was lost (timeout, reset, 5xx) may still have minted the token: its mint/Failed does not count.
            var entriesPerOperation = entries.Where(e => !IsLostAnswer(e))
                .GroupBy(e => e.OperationId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var traces = entries
                .Where(e => e.Action == "mint" && e.Outcome == LedgerOutcome.Pending && e.TokenId == null && e.TokenName != null && e.Timestamp <= orphanBefore)
                .Where(e => entriesPerOperation.TryGetValue(e.OperationId, out var count) && count == 1 && nameMatches(e.TokenName!))
                .ToList();
            if (traces.Count == 0) return new List<Orphan>();
            var registered = new HashSet<string>(cmdlet.Await(ct => ledger.GetManagedTokensAsync(ct)).Select(r => r.TokenId), StringComparer.Ordinal);
            var listed = new Dictionary<CfTokenScope, List<CfToken>>();
            var orphans = new List<Orphan>();
            foreach (var trace in traces)
            {
                if (!Enum.TryParse<CfTokenScope>(trace.Scope ?? "User", true, out var scope)) continue;
                if (scope == CfTokenScope.Account && string.IsNullOrEmpty(session.AccountId)) continue;
                if (!listed.TryGetValue(scope, out var tokens))
                {
                    tokens = new List<CfToken>();
                    cmdlet.ReadAllPagesInternal($"Reading {scope.ToString().ToLowerInvariant()}-owned tokens", (page, ct) => session.Tokens.ListPageAsync(scope, session.AccountId, page, ct), tokens.Add);
                    listed[scope] = tokens;
                }
                foreach (var token in tokens.Where(t => t.Name == trace.TokenName && !registered.Contains(t.Id) &&
                                                         t.IssuedOn >= trace.Timestamp - Before && t.IssuedOn <= trace.Timestamp + After))
                {
                    if (orphans.Any(o => o.Token.Id == token.Id)) continue;
                    orphans.Add(new Orphan(token, trace));
                }
            }
            return orphans;
        }

        private static bool IsLostAnswer(LedgerEntry entry) =>
            entry.Action == "mint" && entry.Outcome == LedgerOutcome.Failed &&
            (entry.ErrorId == Errors.ErrorIds.ApiTimeout || entry.ErrorId == Errors.ErrorIds.ApiConnectionFailed || entry.ErrorId == Errors.ErrorIds.ApiUnavailable);
    }
}
