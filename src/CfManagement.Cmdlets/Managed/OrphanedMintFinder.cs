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
            // The managed mints' and the reissues' entries. A trace names an orphan when nothing settled it in its
            // operation afterwards (up to the operation's next trace): the flow died between the trace and Cloudflare's
            // answer; or when the flow's last word is a failed rollback of the token it created (neither delivered nor revoked).
            var entries = cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.ManagedToken }, ct))
                .Concat(cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Repair }, ct)))
                .OrderBy(e => e.Sequence).ToList();
            var byOperation = entries.GroupBy(e => e.OperationId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var traces = new List<(LedgerEntry Trace, string? TokenId)>();
            foreach (var trace in entries.Where(e => IsTrace(e) && e.Timestamp <= orphanBefore && nameMatches(e.TokenName!)))
            {
                // A create whose answer was lost (timeout, reset, 5xx) may still have minted the token: its Failed does not count.
                var after = byOperation[trace.OperationId].Where(e => e.Sequence > trace.Sequence).TakeWhile(e => !IsTrace(e)).Where(e => !IsLostAnswer(e)).ToList();
                if (after.Count == 0) traces.Add((trace, null));
                else if (after.LastOrDefault(e => e.Action != "rescue") is { Action: "rollback", Outcome: LedgerOutcome.Failed, TokenId: { } unrevoked })
                    traces.Add((trace, unrevoked)); // still listed only if the revoke failed: undelivered, so dead by design
            }
            if (traces.Count == 0) return new List<Orphan>();
            var registered = new HashSet<string>(cmdlet.Await(ct => ledger.GetManagedTokensAsync(ct)).Select(r => r.TokenId), StringComparer.Ordinal);
            var listed = new Dictionary<CfTokenScope, List<CfToken>>();
            var orphans = new List<Orphan>();
            foreach (var (trace, tokenId) in traces)
            {
                if (!Enum.TryParse<CfTokenScope>(trace.Scope ?? "User", true, out var scope)) continue;
                if (scope == CfTokenScope.Account && string.IsNullOrEmpty(session.AccountId)) continue;
                if (!listed.TryGetValue(scope, out var tokens))
                {
                    tokens = new List<CfToken>();
                    cmdlet.ReadAllPagesInternal($"Reading {scope.ToString().ToLowerInvariant()}-owned tokens", (page, ct) => session.Tokens.ListPageAsync(scope, session.AccountId, page, ct), tokens.Add);
                    listed[scope] = tokens;
                }
                foreach (var token in tokens.Where(t => t.Name == trace.TokenName && !registered.Contains(t.Id) && (tokenId == null || t.Id == tokenId) &&
                                                         t.IssuedOn >= trace.Timestamp - Before && t.IssuedOn <= trace.Timestamp + After))
                {
                    if (orphans.Any(o => o.Token.Id == token.Id)) continue;
                    orphans.Add(new Orphan(token, trace));
                }
            }
            return orphans;
        }

        /// <summary>A managed mint's or a reissue's Pending trace: written before the create, so it names no token id.</summary>
        internal static bool IsTrace(LedgerEntry entry) =>
            entry.Outcome == LedgerOutcome.Pending && entry.TokenId == null && entry.TokenName != null &&
            ((entry.Kind == LedgerEntryKind.ManagedToken && entry.Action == "mint") || (entry.Kind == LedgerEntryKind.Repair && entry.Action == "reissue"));

        private static bool IsLostAnswer(LedgerEntry entry) =>
            (entry.Action == "mint" || entry.Action == "reissue") && entry.Outcome == LedgerOutcome.Failed &&
            (entry.ErrorId == Errors.ErrorIds.ApiTimeout || entry.ErrorId == Errors.ErrorIds.ApiConnectionFailed || entry.ErrorId == Errors.ErrorIds.ApiUnavailable);
    }
}
