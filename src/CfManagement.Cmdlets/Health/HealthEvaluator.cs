using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CfManagement.Model;
using CfManagement.Tokens;

namespace CfManagement.Health
{
    /// <summary>What is known about one token when its health is judged.</summary>
    internal sealed class HealthFacts
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public CfTokenScope? Scope { get; set; }
        public string Status { get; set; } = "unknown";
        public DateTimeOffset? ExpiresOn { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        /// <summary>Ids of the groups granted by allow policies; null when the policies could not be read.</summary>
        public ISet<string>? HeldGroupIds { get; set; }
        /// <summary>Why the policies are unknown (verify-only path).</summary>
        public string? UnknownReason { get; set; }
        public List<string> Notes { get; } = new List<string>();
        /// <summary>The token's details when they could be read (for the ledger entry).</summary>
        public CfToken? Token { get; set; }
    }

    /// <summary>
    /// Judges a token: status, validity window, expiry threshold and required permission groups, producing the issues
    /// and the commands that fix them. Pure: no I/O, so every rule is testable on its own.
    /// </summary>
    internal static class HealthEvaluator
    {
        public static IReadOnlyList<string> HeldGroupIds(CfToken token) => token.Policies
            .Where(p => string.Equals(p.Effect, "allow", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.PermissionGroups).Select(g => g.Id).Distinct().ToList();

        /// <summary>Required groups the token does not hold, in the order they were required.</summary>
        public static List<CfPermissionGroup> Missing(IEnumerable<CfPermissionGroup> required, ICollection<string> heldIds) =>
            required.Where(g => !heldIds.Contains(g.Id)).GroupBy(g => g.Id).Select(g => g.First()).ToList();

        public static CfTokenHealth Evaluate(HealthFacts facts, IReadOnlyList<CfPermissionGroup> required, int warningDays, DateTimeOffset now)
        {
            var issues = new List<string>();
            var recommendations = new List<string>();
            var id = facts.Id ?? "<id>";
            var scopeArg = facts.Scope == CfTokenScope.Account ? " -Scope Account" : "";
            var status = (facts.Status ?? "unknown").ToLowerInvariant();
            var expired = status == "expired" || (facts.ExpiresOn.HasValue && facts.ExpiresOn.Value <= now);

            if (status == "invalid")
            {
                issues.Add("Cloudflare does not recognise this token value: it was deleted, rolled, or mistyped.");
                recommendations.Add("Replace it: New-CfToken (or Invoke-CfTokenRoll on the token it came from), then update whatever uses this value.");
            }
            else if (status.StartsWith("revoked", StringComparison.Ordinal))
            {
                issues.Add($"Token is {facts.Status}: Cloudflare revoked it, usually because its value was exposed (e.g. found by secret scanning).");
                recommendations.Add("Create a replacement with New-CfToken, deliver it to the token's consumers, then Remove-CfToken -Id " + id + scopeArg + ".");
            }
            else if (expired)
            {
                var when = facts.ExpiresOn.HasValue ? " on " + Day(facts.ExpiresOn.Value) : "";
                issues.Add($"Token expired{when}.");
                recommendations.Add($"Token expired: extend it with Set-CfToken -Id {id}{scopeArg} -ExpiresOn <future date>, or replace it (New-CfToken) and remove it.");
            }
            else if (status == "disabled")
            {
                issues.Add("Token is disabled.");
                recommendations.Add($"Token is disabled: Set-CfToken -Id {id}{scopeArg} -Enable");
            }
            else if (status != "active")
            {
                issues.Add($"Token status is '{facts.Status}'.");
                recommendations.Add($"Inspect it with Get-CfToken -Id {id}{scopeArg}.");
            }

            if (!expired && facts.ExpiresOn.HasValue)
            {
                var daysLeft = (int)Math.Floor((facts.ExpiresOn.Value - now).TotalDays);
                if (daysLeft <= warningDays)
                {
                    issues.Add($"Token expires in {daysLeft} day(s), on {Day(facts.ExpiresOn.Value)} (warning threshold {warningDays} days).");
                    recommendations.Add($"Roll or replace before {Day(facts.ExpiresOn.Value)}: Set-CfToken -Id {id}{scopeArg} -ExpiresOn <later date> extends it, or issue a replacement with New-CfToken.");
                }
            }
            if (facts.NotBefore.HasValue && facts.NotBefore.Value > now)
            {
                issues.Add($"Token is not valid before {facts.NotBefore.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}.");
                recommendations.Add($"Wait until then, or clear it with Set-CfToken -Id {id}{scopeArg} -NotBefore <earlier date>.");
            }

            var missingNames = new List<string>();
            var known = facts.HeldGroupIds != null;
            if (required.Count > 0 && status != "invalid")
            {
                if (!known)
                {
                    issues.Add("Permissions unknown: the token's policies could not be read, so the required groups were not compared.");
                    recommendations.Add(facts.Id == null
                        ? "Check the token from a session that can see it: Get-CfToken -Id <id> -Session <owner's session> | Test-CfTokenHealth -RequiredPermissionGroup ..."
                        : $"Check it from a session that can see it (Get-CfToken -Id {facts.Id}{scopeArg} -Session <owner's session> | Test-CfTokenHealth ...), or give the token 'API Tokens Read' so it can read itself.");
                }
                else
                {
                    var missing = Missing(required, facts.HeldGroupIds!);
                    missingNames = missing.Select(g => g.Name).ToList();
                    if (missing.Count > 0)
                    {
                        issues.Add("Missing permission groups: " + string.Join(", ", missingNames) + ".");
                        var zoneHint = missing.Any(g => PolicyBuilder.ResourceKindOf(g) == PermissionScopes.Zone) ? " -AllZones" : "";
                        var names = string.Join(",", missing.Select(g => "'" + Qualified(g) + "'"));
                        recommendations.Add($"Repair-CfToken -Id {id}{scopeArg} -RequiredPermissionGroup {names}{zoneHint} adds: {string.Join(", ", missingNames)}");
                    }
                }
            }

            var extra = new List<string>(facts.Notes);
            if (!known && facts.UnknownReason != null) extra.Insert(0, "Permissions unknown: " + facts.UnknownReason);
            return new CfTokenHealth(facts.Id, facts.Name, facts.Scope, facts.Status ?? "unknown", facts.ExpiresOn,
                required.Select(g => g.Name).ToList(), missingNames, known, extra.Count == 0 ? null : string.Join(" ", extra),
                issues, recommendations, now);
        }

        /// <summary>The scope-qualified name ("Zone:DNS Write"), so the recommended command resolves exactly this group.</summary>
        private static string Qualified(CfPermissionGroup group)
        {
            var kind = PolicyBuilder.ResourceKindOf(group);
            return PermissionScopes.ToShortName(kind) + ":" + group.Name;
        }

        private static string Day(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
