using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Tokens
{
    /// <summary>
    /// Builds a token definition from user-level input: resolves permission-group names against the session's
    /// cached catalogue and zone names to ids, and writes every problem as an error (returning null) before
    /// anything is created.
    /// </summary>
    internal static class TokenDefinitionFactory
    {
        public static CfTokenDefinition? Build(CfSessionCmdlet cmdlet, CfSession session, CfTokenScope owner, string name,
            IReadOnlyList<string> permissionGroups, IReadOnlyList<string>? zones, bool allZones, DateTimeOffset? expiresOn,
            DateTimeOffset? notBefore, IReadOnlyList<string>? allowedIp, IReadOnlyList<string>? deniedIp, string parameterName)
        {
            var policies = BuildPolicies(cmdlet, session, owner, permissionGroups, zones, allZones, parameterName);
            if (policies == null) return null;
            return new CfTokenDefinition(name, policies, allowedIp, deniedIp, expiresOn, notBefore);
        }

        /// <summary>Policies for the given groups and zones, or null after writing the errors.</summary>
        public static List<CfTokenPolicy>? BuildPolicies(CfSessionCmdlet cmdlet, CfSession session, CfTokenScope owner,
            IReadOnlyList<string> permissionGroups, IReadOnlyList<string>? zones, bool allZones, string parameterName)
        {
            if (owner == CfTokenScope.Account && string.IsNullOrEmpty(session.AccountId))
            {
                cmdlet.WriteError(Validation.InputValidator.AccountRequired("Scope", owner, "Account-owned tokens are created under /accounts/{id}/tokens"));
                return null;
            }
            var catalogue = cmdlet.Await(ct => session.GetPermissionGroupsAsync(ct));
            var builder = new PolicyBuilder(catalogue);
            var (groups, errors) = builder.Resolve(permissionGroups, parameterName);

            List<CfZone>? resolvedZones = null;
            if (zones != null && zones.Count > 0 && groups.Any(g => PolicyBuilder.ResourceKindOf(g) == Model.PermissionScopes.Zone))
            {
                var (found, zoneErrors) = cmdlet.Await(ct => ZoneResolver.ResolveAsync(session, zones, ct));
                resolvedZones = found;
                errors.AddRange(zoneErrors);
            }
            if (cmdlet.WriteErrors(errors)) return null;

            string? userId = null;
            var (policies, buildErrors) = builder.Build(groups, owner, resolvedZones, allZones, session.AccountId, () =>
            {
                if (userId != null) return userId;
                try { return userId = cmdlet.Await(ct => session.Users.GetUserIdAsync(ct)); }
                catch (CloudflareApiException) { return null; }
            }, parameterName);
            return cmdlet.WriteErrors(buildErrors) ? null : policies;
        }

    }
}
