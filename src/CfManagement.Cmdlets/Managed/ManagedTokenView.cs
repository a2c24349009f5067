using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Managed
{
    /// <summary>
    /// Joins the ledger's registry with Cloudflare's own token list: Cloudflare says whether a token still exists
    /// and its status; the ledger adds purpose and destinations.
    /// </summary>
    internal static class ManagedTokenView
    {
        /// <summary>A registry row of a managed Access service token (its scope column says so).</summary>
        public static bool IsAccess(string scope) => string.Equals(scope, Access.AccessLedger.Scope, StringComparison.OrdinalIgnoreCase);

        public static List<CfManagedToken> Load(CfSessionCmdlet cmdlet, ILedger ledger) =>
            LoadWithRecords(cmdlet, ledger).Select(pair => pair.Token).ToList();

        /// <summary>Each registry row with its joined view, for callers that rewrite the row afterwards.</summary>
        public static List<(ManagedTokenRecord Record, CfManagedToken Token)> LoadWithRecords(CfSessionCmdlet cmdlet, ILedger ledger)
        {
            var session = cmdlet.CurrentSession;
            var records = cmdlet.Await(ct => ledger.GetManagedTokensAsync(ct));
            var live = new Dictionary<string, CfToken>(StringComparer.Ordinal);
            var unknownScopes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var liveAccess = new Dictionary<string, CfAccessServiceToken>(StringComparer.OrdinalIgnoreCase);
            foreach (var scope in records.Select(r => r.Scope).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IsAccess(scope))
                {
                    // Managed Access service tokens (New-CfManagedToken -AccessServiceToken): the account's Access list says whether they still exist.
                    if (string.IsNullOrEmpty(session.AccountId)) { unknownScopes.Add(scope); continue; }
                    try
                    {
                        cmdlet.ReadAllPagesInternal("Reading Access service tokens", (page, ct) => session.AccessServiceTokens.ListPageAsync(session.AccountId!, null, page, ct),
                            token => liveAccess[token.Id] = token);
                    }
                    catch (CloudflareApiException ex)
                    {
                        unknownScopes.Add(scope);
                        cmdlet.WriteWarning($"Cloudflare's Access service token list is not readable with this session ({ex.Message}); their status is shown as unknown.");
                    }
                    continue;
                }
                if (!Enum.TryParse<CfTokenScope>(scope, true, out var parsed)) continue;
                if (parsed == CfTokenScope.Account && string.IsNullOrEmpty(session.AccountId)) { unknownScopes.Add(scope); continue; }
                try
                {
                    cmdlet.ReadAllPagesInternal($"Reading {scope.ToLowerInvariant()}-owned tokens", (page, ct) => session.Tokens.ListPageAsync(parsed, session.AccountId, page, ct),
                        token => live[token.Id] = token);
                }
                catch (CloudflareApiException ex)
                {
                    unknownScopes.Add(scope);
                    cmdlet.WriteWarning($"Cloudflare's {scope.ToLowerInvariant()}-owned token list is not readable with this session ({ex.Message}); their status is shown as unknown.");
                }
            }
            return records.Select(r =>
            {
                if (IsAccess(r.Scope))
                {
                    var found = liveAccess.TryGetValue(r.TokenId, out var access);
                    var accessStatus = !found ? (unknownScopes.Contains(r.Scope) ? "unknown" : "missing")
                        : access!.Enabled == false ? "disabled"
                        : access.ExpiresAt.HasValue && access.ExpiresAt.Value <= DateTimeOffset.UtcNow ? "expired" : "active";
                    return (r, new CfManagedToken(r.TokenId, r.TokenName, r.Purpose, CfTokenScope.Account, access?.ExpiresAt ?? r.ExpiresOn, r.Destinations,
                        r.State, accessStatus, r.CreatedOn, null, CfManagedToken.AccessServiceTokenKind, access?.ClientId));
                }
                var status = live.TryGetValue(r.TokenId, out var token) ? token.Status : unknownScopes.Contains(r.Scope) ? "unknown" : "missing";
                Enum.TryParse<CfTokenScope>(r.Scope, true, out var scope);
                return (r, new CfManagedToken(r.TokenId, r.TokenName, r.Purpose, scope, token?.ExpiresOn ?? r.ExpiresOn, r.Destinations, r.State, status, r.CreatedOn));
            }).ToList();
        }
    }
}
