using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Get-CfWorker, the version and deployment commands and the tail-consumer commands refuse bad input with a stable
/// ErrorId naming the parameter, before any request is sent.
/// </summary>
public class WorkerDeploymentBadInputTests : CmdletTestBase
{
    private const string A = "18f97339-c287-4872-9bdd-e2135c07ec12";
    private const string B = "bcf48806-b317-4351-9ee7-36e7d557d4de";
    private const string C = "0c1d6d5b-0a3c-4b8f-9d5e-7d6a1c2b3e4f";
    private static readonly string LongName = new('w', 64);
    private static readonly string LongMessage = new('\u00e9', 501); // 1002 bytes in UTF-8

    public static TheoryData<string, string, string> Cases => new()
    {
        { "Get-CfWorker -Name 'API'", "InvalidScriptName", "-Name" },
        { "Get-CfWorker -Name 'my script'", "InvalidScriptName", "-Name" },
        { $"Get-CfWorker -Name '{LongName}'", "InvalidScriptName", "-Name" },
        { "Get-CfWorker -Name 'api-[x'", "InvalidWildcardPattern", "-Name" },
        { "Get-CfWorker -Tag 'env:prod'", "InvalidWorkerTag", "-Tag" },
        { "Get-CfWorker -Tag 'a,b'", "InvalidWorkerTag", "-Tag" },
        { "Get-CfWorker -ExcludeTag ' '", "InvalidWorkerTag", "-ExcludeTag" },
        { "Get-CfWorker -Tag prod -ExcludeTag prod", "ConflictingParameters", "-ExcludeTag" },
        { "Get-CfWorkerVersion -Script 'Bad_Name'", "InvalidScriptName", "-Script" },
        { "Get-CfWorkerVersion -Script api -Id 'v1'", "InvalidVersionId", "-Id" },
        { $"Get-CfWorkerVersion -Script api -Id '{A}x'", "InvalidVersionId", "-Id" },
        { "Get-CfWorkerDeployment -Script '../accounts'", "InvalidScriptName", "-Script" },
        { "Get-CfWorkerDeployment -Script ''", "ParameterArgumentValidationErrorEmptyStringNotAllowed", "Script" },
        { $"Set-CfWorkerDeployment -Script 'API' -VersionId {A}", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerDeployment -Script api -VersionId 'abc'", "InvalidVersionId", "-VersionId" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Percentage 0", "InvalidPercentage", "-Percentage" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Percentage 150", "InvalidPercentage", "-Percentage" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Percentage 12.345", "InvalidPercentage", "-Percentage" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Percentage 50 -OtherVersionId {A}", "InvalidTrafficSplit", "-OtherVersionId" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -OtherVersionId {B}", "InvalidTrafficSplit", "-Percentage" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Percentage 10 -OtherVersionId 'old'", "InvalidVersionId", "-OtherVersionId" },
        { $"Set-CfWorkerDeployment -Script api -Traffic @{{ '{A}' = 90; '{B}' = 20 }}", "InvalidTrafficSplit", "-Traffic" },
        { "Set-CfWorkerDeployment -Script api -Traffic @{}", "InvalidTrafficSplit", "-Traffic" },
        { $"Set-CfWorkerDeployment -Script api -Traffic @{{ '{A}' = 50; '{B}' = 25; '{C}' = 25 }}", "InvalidTrafficSplit", "-Traffic" },
        { $"Set-CfWorkerDeployment -Script api -Traffic @{{ '{A}' = 'half'; '{B}' = 50 }}", "InvalidTrafficSplit", "-Traffic" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Message '{LongMessage}'", "InvalidDeploymentMessage", "-Message" },
        { $"Set-CfWorkerDeployment -Script api -VersionId {A} -Message '  '", "InvalidDeploymentMessage", "-Message" },
        { "Get-CfWorkerTailConsumer -Script 'A B'", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerTailConsumer -Script api -Add 'Logger'", "InvalidScriptName", "-Add" },
        { "Set-CfWorkerTailConsumer -Script api -Add @{ script = 'logger' }", "InvalidTailConsumer", "-Add" },
        { "Set-CfWorkerTailConsumer -Script api -Add @{ service = 'logger'; environment = 'Prod Env' }", "InvalidTailConsumer", "-Add" },
        { "Set-CfWorkerTailConsumer -Script api -Remove 42", "InvalidTailConsumer", "-Remove" },
        { "Set-CfWorkerTailConsumer -Script api", "NothingToChange", "-Add" },
        { "Set-CfWorkerTailConsumer -Script api -Add logger -Remove logger", "ConflictingParameters", "-Remove" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Worker_commands_refuse_bad_input_without_a_request(string script, string errorId, string parameter)
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction ?? error.Exception.Message));
        Assert.Empty(Emulator.Requests);
    }

    [Theory]
    [InlineData("Get-CfWorker")]
    [InlineData("Get-CfWorkerVersion -Script api")]
    [InlineData("Get-CfWorkerDeployment -Script api")]
    [InlineData("Set-CfWorkerDeployment -Script api -VersionId " + A)]
    [InlineData("Set-CfWorkerTailConsumer -Script api -Add logger")]
    public void A_session_without_an_account_is_refused_without_a_request(string script)
    {
        // A token that cannot read accounts connects without adopting one.
        Emulator.Faults.Add(new CfManagement.Emulator.FaultRule { Kind = CfManagement.Emulator.FaultKind.Status, StatusCode = 403, PathContains = "/accounts", Method = "GET", Times = -1 });
        ConnectOrFail(withAccount: false);
        Assert.Equal("", Ps.Run("(Get-CfSession).AccountId").Output.Single()?.ToString() ?? "");
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith("AccountIdRequired,", error.FullyQualifiedErrorId);
        Assert.Contains("-AccountId", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Emulator.Requests);
    }
}
