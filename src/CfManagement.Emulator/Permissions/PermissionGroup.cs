namespace CfManagement.Emulator;

/// <summary>A token permission group: 32-hex id, name (not unique across scopes) and its scope.</summary>
public sealed record PermissionGroup(string Id, string Name, string Scope)
{
    public bool IsUserScoped => Scope == PermissionScopes.User;
}
