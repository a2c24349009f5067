using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>One policy of a token: an effect, the permission groups it grants and the resources they apply to.</summary>
    public sealed class CfTokenPolicy
    {
        public CfTokenPolicy(string? id, string effect, IReadOnlyList<CfPermissionGroupRef> permissionGroups,
            IReadOnlyDictionary<string, string> resources)
        {
            Id = id ?? string.Empty;
            Effect = effect;
            PermissionGroups = permissionGroups;
            Resources = resources;
        }

        public string Id { get; }
        public string Effect { get; }
        public IReadOnlyList<CfPermissionGroupRef> PermissionGroups { get; }
        /// <summary>Resource keys such as <c>com.cloudflare.api.account.zone.&lt;id&gt;</c> mapped to <c>*</c>.</summary>
        public IReadOnlyDictionary<string, string> Resources { get; }

        public override string ToString() =>
            $"{Effect}: {string.Join(", ", PermissionGroups.Select(p => p.ToString()))} on {string.Join(", ", Resources.Keys)}";
    }
}
