using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.PermissionGroups;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Tokens
{
    /// <summary>
    /// Turns permission-group names (or ids) and zones into Cloudflare policies: zone groups apply to the named
    /// zones (or all zones), account groups to the session's account, user groups to the user. One allow policy
    /// per resource kind keeps the token readable in the dashboard.
    /// </summary>
    internal sealed class PolicyBuilder
    {
        private readonly IReadOnlyList<CfPermissionGroup> _catalogue;

        public PolicyBuilder(IReadOnlyList<CfPermissionGroup> catalogue) => _catalogue = catalogue;

        /// <summary>Resolves names to catalogue groups; every problem is collected, so the user sees them all at once.</summary>
        public (List<CfPermissionGroup> Groups, List<ErrorRecord> Errors) Resolve(IEnumerable<string> namesOrIds, string parameterName)
        {
            var groups = new List<CfPermissionGroup>();
            var errors = new List<ErrorRecord>();
            foreach (var entry in namesOrIds)
            {
                var (name, scope) = SplitQualified(entry);
                var (group, error) = PermissionGroupResolver.Resolve(_catalogue, name, scope, parameterName);
                if (error != null) errors.Add(error);
                else if (!groups.Any(g => g.Id == group!.Id)) groups.Add(group!);
            }
            return (groups, errors);
        }

        /// <summary>Accepts "Zone:DNS Write" style qualified names to pick one scope of a name that repeats.</summary>
        private static (string Name, string? Scope) SplitQualified(string entry)
        {
            var colon = entry.IndexOf(':');
            if (colon > 0 && PermissionScopes.Normalize(entry.Substring(0, colon)) is string scope)
                return (entry.Substring(colon + 1).Trim(), scope);
            return (entry.Trim(), null);
        }

        /// <summary>Policies for <paramref name="groups"/>; null resource parts mean "not available" and yield errors.</summary>
        public (List<CfTokenPolicy> Policies, List<ErrorRecord> Errors) Build(IReadOnlyList<CfPermissionGroup> groups, CfTokenScope owner,
            IReadOnlyList<CfZone>? zones, bool allZones, string? accountId, Func<string?> userId, string parameterName)
        {
            var errors = new List<ErrorRecord>();
            var byKind = new Dictionary<string, List<CfPermissionGroup>>();
            foreach (var group in groups)
            {
                var kind = ResourceKindOf(group);
                if (kind == PermissionScopes.User && owner == CfTokenScope.Account)
                {
                    errors.Add(InputValidator.Invalid(ErrorIds.PermissionGroupScopeMismatch, parameterName, group.Name,
                        $"-{parameterName}: '{group.Name}' is a user-level permission group; account-owned tokens cannot hold user permissions.",
                        "Drop it, or create a user-owned token with -Scope User."));
                    continue;
                }
                if (kind == PermissionScopes.R2Bucket)
                {
                    errors.Add(InputValidator.Invalid(ErrorIds.PermissionGroupScopeMismatch, parameterName, group.Name,
                        $"-{parameterName}: '{group.Name}' applies to R2 buckets, which New-CfToken does not target yet.",
                        "Use the account-scoped group of the same name (e.g. 'Account:Workers R2 Storage Write')."));
                    continue;
                }
                if (kind == PermissionScopes.Zone && (zones == null || zones.Count == 0) && !allZones)
                {
                    errors.Add(InputValidator.Invalid(ErrorIds.ZoneRequired, "Zone", group.Name,
                        $"'{group.Name}' is a zone permission group: say which zones it applies to.",
                        "Pass -Zone <name or id>[,...] or -AllZones."));
                    continue;
                }
                if (!byKind.TryGetValue(kind, out var list)) byKind[kind] = list = new List<CfPermissionGroup>();
                list.Add(group);
            }
            if (errors.Count > 0) return (new List<CfTokenPolicy>(), errors);

            var policies = new List<CfTokenPolicy>();
            foreach (var pair in byKind)
            {
                var resources = new Dictionary<string, string>(StringComparer.Ordinal);
                switch (pair.Key)
                {
                    case PermissionScopes.Zone:
                        if (allZones) resources[PermissionScopes.Zone + ".*"] = "*";
                        else foreach (var zone in zones!) resources[$"{PermissionScopes.Zone}.{zone.Id}"] = "*";
                        break;
                    case PermissionScopes.Account:
                        if (string.IsNullOrEmpty(accountId))
                        {
                            errors.Add(SessionAccountMissing());
                            continue;
                        }
                        resources[$"{PermissionScopes.Account}.{accountId}"] = "*";
                        break;
                    case PermissionScopes.User:
                        var id = userId();
                        if (id == null)
                        {
                            errors.Add(new ErrorRecord(new InvalidOperationException("The user id is unavailable."), ErrorIds.UserIdUnavailable, ErrorCategory.PermissionDenied, null)
                            {
                                ErrorDetails = new ErrorDetails("User-level permission groups apply to the user, but GET /user refused this session's token.")
                                {
                                    RecommendedAction = "Add 'User Details Read' to the session token, or drop the user-level groups.",
                                },
                            });
                            continue;
                        }
                        resources[$"{PermissionScopes.User}.{id}"] = "*";
                        break;
                }
                policies.Add(new CfTokenPolicy(null, "allow", pair.Value.Select(g => new CfPermissionGroupRef(g.Id, g.Name)).ToList(), resources));
            }
            return (policies, errors);
        }

        /// <summary>The resource kind a group applies to: its most specific scope wins (zone over account).</summary>
        internal static string ResourceKindOf(CfPermissionGroup group)
        {
            foreach (var scope in new[] { PermissionScopes.R2Bucket, PermissionScopes.Zone, PermissionScopes.User, PermissionScopes.Account })
                if (group.Scopes.Contains(scope, StringComparer.OrdinalIgnoreCase)) return scope;
            return PermissionScopes.Account;
        }

        private static ErrorRecord SessionAccountMissing() => InputValidator.AccountRequired("AccountId", null, "Account-level permission groups apply to an account");
    }
}
