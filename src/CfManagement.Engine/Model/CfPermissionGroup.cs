using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>A permission group from the catalogue. Names repeat across scopes, so name and scope identify one.</summary>
    public sealed class CfPermissionGroup
    {
        public CfPermissionGroup(string id, string name, IReadOnlyList<string> scopes)
        {
            Id = id;
            Name = name;
            Scopes = scopes;
        }

        public string Id { get; }
        public string Name { get; }
        /// <summary>Full scope names, e.g. <c>com.cloudflare.api.account.zone</c>.</summary>
        public IReadOnlyList<string> Scopes { get; }
        /// <summary>Short scope names (User, Account, Zone, R2Bucket) for display and filtering.</summary>
        public IReadOnlyList<string> ScopeNames => Scopes.Select(PermissionScopes.ToShortName).ToList();

        public override string ToString() => $"{Name} [{string.Join(",", ScopeNames)}]";
    }
}
