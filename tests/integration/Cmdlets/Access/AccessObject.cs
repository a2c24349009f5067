using System.Management.Automation;
using CfManagement.Tests.Infrastructure;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// A CfAccessServiceToken or CfAccessServiceTokenCredential as the tests read it (the module's types are loaded by
/// the runspace only, so their members are read through PowerShell's adapter).
/// </summary>
public sealed class AccessObject(PSObject o)
{
    public PSObject Raw { get; } = o;
    private object? Get(string name) => Raw.Properties[name]?.Value;

    public string Id => (string)Get("Id")!;
    public string Name => (string)Get("Name")!;
    public string ClientId => (string)Get("ClientId")!;
    public DateTimeOffset? ExpiresAt => (DateTimeOffset?)Get("ExpiresAt");
    public object? ClientSecret => Get("ClientSecret");
    public string? Destination => (string?)Get("Destination");
    public DateTimeOffset? PreviousSecretExpiresAt => (DateTimeOffset?)Get("PreviousSecretExpiresAt");
    /// <summary>The token itself: the object, or a credential's ServiceToken.</summary>
    private PSObject Token => Get("ServiceToken") is { } inner ? PSObject.AsPSObject(inner) : Raw;
    public string Duration => (string)Token.Properties["Duration"].Value;
    public int? DaysLeft => (int?)Token.Properties["DaysLeft"].Value;
    public string TypeName => Raw.BaseObject.GetType().Name;
}

public static class AccessResults
{
    public static List<AccessObject> Access(this PsResult result) => result.Output.Where(o => o != null).Select(o => new AccessObject(o)).ToList();
}
