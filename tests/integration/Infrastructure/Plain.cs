using System.Security;

namespace CfManagement.Tests.Infrastructure;

public static class Plain
{
    /// <summary>Decrypts a SecureString the module returned (tests only, to prove the value is live).</summary>
    public static string Of(object? value) => value switch
    {
        System.Management.Automation.PSObject pso => Of(pso.BaseObject),
        SecureString s => new System.Net.NetworkCredential("", s).Password,
        string s => s,
        _ => throw new InvalidOperationException("not a secret value: " + value?.GetType()),
    };
}
