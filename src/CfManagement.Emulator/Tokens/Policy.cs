namespace CfManagement.Emulator;

/// <summary>A permission group reference inside a policy; <paramref name="MetaJson"/> is the request's meta object as JSON text, if any.</summary>
public sealed record PolicyGroupRef(string Id, string? MetaJson = null);

/// <summary>
/// One token policy. <see cref="Resources"/> maps a resource key to "*" or, for nested resources
/// (account key → {"com.cloudflare.api.account.zone.*": "*"}), to the nested object's JSON text.
/// </summary>
public sealed record Policy(string Id, string Effect, IReadOnlyList<PolicyGroupRef> PermissionGroups, IReadOnlyDictionary<string, string> Resources)
{
    public IEnumerable<string> PermissionGroupIds => PermissionGroups.Select(g => g.Id);
}
