using System.Management.Automation;
using CfManagement.Tests.Infrastructure;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>A CfSecretResult as the tests read it (the tests see module types only through PowerShell).</summary>
public sealed record SecretResultView(string Target, string Name, string? Change, string Status, string? Reason, string? ErrorId, string? VersionId)
{
    public static List<SecretResultView> Of(PsResult result) => result.Output
        .Where(o => o.BaseObject.GetType().FullName == "CfManagement.SecretSets.CfSecretResult")
        .Select(o => new SecretResultView(Text(o, "Target")!, Text(o, "Name")!, Text(o, "Change"), Text(o, "Status")!, Text(o, "Reason"), Text(o, "ErrorId"), Text(o, "VersionId")))
        .ToList();

    private static string? Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString();
}
