using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Api;
using CfManagement.Model;

namespace CfManagement.Json
{
    /// <summary>Turns wire shapes into the immutable models the cmdlets emit.</summary>
    internal static class WireMapper
    {
        public static CfToken ToToken(WireToken w, CfTokenScope scope, string? accountId)
        {
            var policies = (w.Policies ?? new List<WirePolicy>()).Select(ToPolicy).ToList();
            var ip = w.Condition?.RequestIp ?? w.Condition?.RequestIpDotted;
            return new CfToken(w.Id, w.Name ?? string.Empty, w.Status ?? "unknown", scope,
                scope == CfTokenScope.Account ? accountId : null,
                w.IssuedOn, w.ModifiedOn, w.LastUsedOn, w.NotBefore, w.ExpiresOn, policies,
                (ip?.In ?? new List<string>()).ToList(), (ip?.NotIn ?? new List<string>()).ToList());
        }

        private static CfTokenPolicy ToPolicy(WirePolicy p)
        {
            var groups = (p.PermissionGroups ?? new List<WirePermissionGroupRef>())
                .Select(g => new CfPermissionGroupRef(g.Id, g.Name)).ToList();
            var resources = new Dictionary<string, string>(StringComparer.Ordinal);
            if (p.Resources != null)
                foreach (var pair in p.Resources) resources[pair.Key] = pair.Value;
            return new CfTokenPolicy(p.Id, p.Effect ?? "allow", groups, resources);
        }

        public static CfPermissionGroup ToPermissionGroup(WirePermissionGroup w) =>
            new CfPermissionGroup(w.Id, w.Name ?? string.Empty, (w.Scopes ?? new List<string>()).ToList());

        public static CloudflareError ToError(WireError w) =>
            new CloudflareError(w.Code, w.Message ?? string.Empty,
                (w.ErrorChain ?? new List<WireError>()).Select(ToError).ToList());
    }
}
