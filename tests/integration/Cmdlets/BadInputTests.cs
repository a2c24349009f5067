using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>Every bad value is refused with a stable ErrorId that names the parameter, before any request is sent.</summary>
public class BadInputTests : CmdletTestBase
{
    private static readonly string Long = new('n', 121);

    public static TheoryData<string, string, string> ConnectedCases => new()
    {
        { "Get-CfToken -Id 'abc'", "InvalidId", "-Id" },
        { "Get-CfToken -Id 'C8FED203ED3043CBA015A93AD1616F1F'", "InvalidId", "-Id" },
        { "Get-CfToken -Id ''", "ParameterArgumentValidationErrorEmptyStringNotAllowed", "Id" },
        { "Get-CfToken -Id 'c8fed203ed3043cba015a93ad1616f1'", "InvalidId", "-Id" },
        { "Get-CfToken -Id 'g8fed203ed3043cba015a93ad1616f1f'", "InvalidId", "-Id" },
        { "'../../accounts' | Get-CfToken", "InvalidId", "-Id" },
        { "Get-CfToken -Name ''", "InvalidName", "-Name" },
        { "Get-CfToken -Name '   '", "InvalidName", "-Name" },
        { $"Get-CfToken -Name '{Long}'", "InvalidName", "-Name" },
        { "Get-CfToken -Scope Galaxy", "CannotConvertArgumentNoMessage", "Scope" },
        { "Get-CfPermissionGroup -Scope Galaxy", "InvalidPermissionScope", "-Scope" },
        { "Get-CfPermissionGroup -Scope ''", "InvalidPermissionScope", "-Scope" },
        { "Get-CfPermissionGroup -Id 'zone-read'", "InvalidId", "-Id" },
        { "Get-CfPermissionGroup -Name ''", "InvalidName", "-Name" },
    };

    [Theory]
    [MemberData(nameof(ConnectedCases))]
    public void Connected_commands_refuse_bad_input_without_a_request(string script, string errorId, string parameter)
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        // Our own checks use InvalidArgument; the engine's binder uses InvalidArgument or InvalidData.
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Empty(Emulator.Requests);
    }

    public static TheoryData<string, string, string> ConnectCases => new()
    {
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri 'ftp://127.0.0.1/client/v4/'", "InvalidApiBaseUri", "-ApiBaseUri" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri 'not a uri'", "InvalidApiBaseUri", "-ApiBaseUri" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri '/client/v4/'", "InvalidApiBaseUri", "-ApiBaseUri" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri 'https://user:pw@api.cloudflare.com/client/v4/'", "InvalidApiBaseUri", "-ApiBaseUri" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId 'acct'", "InvalidAccountId", "-AccountId" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId ''", "InvalidAccountId", "-AccountId" },
        { "Connect-CfAccount -ApiToken ([System.Security.SecureString]::new()) -ApiBaseUri $ApiBaseUri", "MissingApiToken", "-ApiToken" },
        { "Connect-CfAccount -ApiToken $at -ApiBaseUri $ApiBaseUri", "AccountIdRequired", "-AccountId" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -MaxRetryCount 99", "ParameterArgumentValidationError", "MaxRetryCount" },
        { "Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -RequestsPerFiveMinutes 5000", "ParameterArgumentValidationError", "RequestsPerFiveMinutes" },
    };

    [Theory]
    [MemberData(nameof(ConnectCases))]
    public void Connect_refuses_bad_input_without_a_request(string script, string errorId, string parameter)
    {
        Ps.Set("t", PsSession.Secure(AdminToken));
        Ps.Set("at", PsSession.Secure(Emulator.State.AccountTokenValue));
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        // Our own checks use InvalidArgument; the engine's binder uses InvalidArgument or InvalidData.
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction ?? error.Exception.Message));
        Assert.Empty(Emulator.Requests);
    }
}
