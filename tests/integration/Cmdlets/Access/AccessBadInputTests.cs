using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// Every bad value given to the Access service token commands is refused before any request, with a stable ErrorId,
/// the InvalidArgument category (the engine's binder: InvalidArgument or InvalidData) and a message naming the parameter.
/// </summary>
public class AccessBadInputTests : CmdletTestBase
{
    private const string Uuid = "3f2a61b4-0c55-4e1e-9d0b-6a1c1f6d2e7a";
    private static readonly string Long = new('n', 351);

    public static TheoryData<string, string, string> Cases => new()
    {
        // Get-CfAccessServiceToken
        { "Get-CfAccessServiceToken -Id 'abc'", "InvalidAccessServiceTokenId", "-Id" },
        { "Get-CfAccessServiceToken -Id '3F2A61B4-0C55-4E1E-9D0B-6A1C1F6D2E7A'", "InvalidAccessServiceTokenId", "-Id" },
        { "Get-CfAccessServiceToken -Id '0123456789abcdef0123456789abcdef'", "InvalidAccessServiceTokenId", "-Id" },
        { "Get-CfAccessServiceToken -Id '0123456789abcdef0123456789abcdef.access'", "InvalidAccessServiceTokenId", "-Id" },
        { "'../../accounts' | Get-CfAccessServiceToken", "InvalidAccessServiceTokenId", "-Id" },
        { "Get-CfAccessServiceToken -Id ''", "ParameterArgumentValidationErrorEmptyStringNotAllowed", "Id" },
        { "Get-CfAccessServiceToken -Name '   '", "InvalidName", "-Name" },
        { $"Get-CfAccessServiceToken -Name '{Long}'", "InvalidName", "-Name" },
        { "Get-CfAccessServiceToken -Name 'ci-['", "InvalidWildcardPattern", "-Name" },
        { "Get-CfAccessServiceToken -ExpiringWithin 0", "InvalidExpiringWithin", "-ExpiringWithin" },
        { "Get-CfAccessServiceToken -ExpiringWithin (New-TimeSpan -Days -1)", "InvalidExpiringWithin", "-ExpiringWithin" },
        { "Get-CfAccessServiceToken -ExpiringWithin 'soon'", "CannotConvertArgumentNoMessage", "ExpiringWithin" },
        // New-CfAccessServiceToken
        { "New-CfAccessServiceToken -Name '   '", "InvalidName", "-Name" },
        { $"New-CfAccessServiceToken -Name '{Long}'", "InvalidName", "-Name" },
        { "New-CfAccessServiceToken -Name ci -Duration 30d", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration 365", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration -5h", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration 0h", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration 1y", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration ''", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration 'never'", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -Duration 3000000h", "InvalidAccessDuration", "-Duration" },
        { "New-CfAccessServiceToken -Name ci -SecretName ci", "ConflictingParameters", "-SecretName" },
        { "New-CfAccessServiceToken -Name ci -Vault ''", "InvalidName", "-Vault" },
        { "New-CfAccessServiceToken -Name ci -WorkerScript 'Bad Script!'", "InvalidScriptName", "-WorkerScript" },
        { "New-CfAccessServiceToken -Name ci -WorkerScript gateway -ClientIdName 'BAD-NAME'", "InvalidSecretName", "-ClientIdName" },
        { "New-CfAccessServiceToken -Name ci -WorkerScript gateway -ClientSecretName '1ST'", "InvalidSecretName", "-ClientSecretName" },
        { "New-CfAccessServiceToken -Name ci -Vault Ops -ClientIdName CI_ID", "ConflictingParameters", "-ClientIdName" },
        { "New-CfAccessServiceToken -Name ci -WorkerScript gateway -ClientIdName CI -ClientSecretName ci", "ConflictingParameters", "-ClientSecretName" },
        { "New-CfAccessServiceToken -Name ci -PagesEnvironment preview", "ConflictingParameters", "-PagesEnvironment" },
        { "New-CfAccessServiceToken -Name ci -PagesProject site -PagesEnvironment staging", "InvalidPagesEnvironment", "-PagesEnvironment" },
        { "New-CfAccessServiceToken -Name ci -PagesProject 'Bad Project'", "InvalidPagesProjectName", "-PagesProject" },
        { "New-CfAccessServiceToken -Name ci -SecretsStore 'bad store'", "InvalidSecretsStoreName", "-SecretsStore" },
        { "New-CfAccessServiceToken -Name ci -LedgerDatabaseId nope", "InvalidId", "-LedgerDatabaseId" },
        { $"New-CfAccessServiceToken -Name ci -LedgerPath x.db -LedgerDatabaseId {Uuid}", "ConflictingParameters", "-LedgerPath" },
        // Set-CfAccessServiceToken
        { $"Set-CfAccessServiceToken -Id {Uuid}", "NothingToChange", "-NewName" },
        { $"Set-CfAccessServiceToken -Id {Uuid} -Duration 10", "InvalidAccessDuration", "-Duration" },
        { $"Set-CfAccessServiceToken -Id {Uuid} -NewName '  '", "InvalidName", "-NewName" },
        { "Set-CfAccessServiceToken -Id 'not-a-uuid' -NewName x", "InvalidAccessServiceTokenId", "-Id" },
        { "Set-CfAccessServiceToken -Name '  ' -NewName x", "InvalidName", "-Name" },
        // Update-CfAccessServiceToken
        { "Update-CfAccessServiceToken -Id 'not-a-uuid'", "InvalidAccessServiceTokenId", "-Id" },
        { "Update-CfAccessServiceToken -Name '  '", "InvalidName", "-Name" },
        { $"Update-CfAccessServiceToken -Id {Uuid} -LedgerPath ''", "InvalidName", "-LedgerPath" },
        // Invoke-CfAccessServiceTokenRotate
        { $"Invoke-CfAccessServiceTokenRotate -Id {Uuid} -GracePeriod 0", "InvalidGracePeriod", "-GracePeriod" },
        { $"Invoke-CfAccessServiceTokenRotate -Id {Uuid} -GracePeriod (New-TimeSpan -Days 400)", "InvalidGracePeriod", "-GracePeriod" },
        { $"Invoke-CfAccessServiceTokenRotate -Id {Uuid} -GracePeriod (New-TimeSpan -Hours -1)", "InvalidGracePeriod", "-GracePeriod" },
        { $"Invoke-CfAccessServiceTokenRotate -Id {Uuid} -SecretName x", "ConflictingParameters", "-SecretName" },
        { $"Invoke-CfAccessServiceTokenRotate -Id {Uuid} -WorkerScript gateway -ClientSecretName '1abc'", "InvalidSecretName", "-ClientSecretName" },
        { "Invoke-CfAccessServiceTokenRotate -Id 'abc'", "InvalidAccessServiceTokenId", "-Id" },
        // Remove-CfAccessServiceToken
        { "Remove-CfAccessServiceToken -Id 'xyz' -Confirm:$false", "InvalidAccessServiceTokenId", "-Id" },
        { "Remove-CfAccessServiceToken -Name '  ' -Confirm:$false", "InvalidName", "-Name" },
        { $"Remove-CfAccessServiceToken -Id {Uuid} -LedgerDatabaseId 'x' -Confirm:$false", "InvalidId", "-LedgerDatabaseId" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_with_its_ErrorId_before_any_request(string script, string errorId, string parameter)
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Empty(Emulator.Requests);
    }
}
