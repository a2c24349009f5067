using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>Start-CfTail, Get-CfTail and Stop-CfTail refuse bad filters and limits with a stable ErrorId naming the parameter, before any request.</summary>
public class TailBadInputTests : CmdletTestBase
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "Start-CfTail -Script api -Status failed", "InvalidTailStatus", "Status" },
        { "Start-CfTail -Script api -Status ok, cancelled", "InvalidTailStatus", "Status" },
        { "Start-CfTail -Script api -Status ''", "InvalidTailStatus", "Status" },
        { "Start-CfTail -Script api -Method 'GE T'", "InvalidTailMethod", "Method" },
        { "Start-CfTail -Script api -Method 'GET/1'", "InvalidTailMethod", "Method" },
        { "Start-CfTail -Script api -Method ''", "InvalidTailMethod", "Method" },
        { "Start-CfTail -Script api -Header ': value'", "InvalidTailHeaderFilter", "Header" },
        { "Start-CfTail -Script api -Header 'Bad Name: v'", "InvalidTailHeaderFilter", "Header" },
        { "Start-CfTail -Script api -Header ''", "InvalidTailHeaderFilter", "Header" },
        { "Start-CfTail -Script api -ClientIp 999.1.1.1", "InvalidTailClientIp", "ClientIp" },
        { "Start-CfTail -Script api -ClientIp me", "InvalidTailClientIp", "ClientIp" },
        { "Start-CfTail -Script api -Search ''", "InvalidTailSearch", "Search" },
        { "Start-CfTail -Script api -SamplingRate 0", "InvalidTailSamplingRate", "SamplingRate" },
        { "Start-CfTail -Script api -SamplingRate -0.5", "InvalidTailSamplingRate", "SamplingRate" },
        { "Start-CfTail -Script api -SamplingRate 1.5", "InvalidTailSamplingRate", "SamplingRate" },
        { "Start-CfTail -Script api -VersionId latest", "InvalidTailVersionId", "VersionId" },
        { "Start-CfTail -Script api -First 0", "InvalidTailLimit", "First" },
        { "Start-CfTail -Script api -First -5", "InvalidTailLimit", "First" },
        { "Start-CfTail -Script api -Duration -00:01:00", "InvalidTailLimit", "Duration" },
        { "Start-CfTail -Script api -Duration 0", "InvalidTailLimit", "Duration" },
        { "Start-CfTail -Script api -Until (Get-Date).AddMinutes(-1)", "InvalidTailLimit", "Until" },
        { "Start-CfTail -Script api -QueueCapacity 0", "InvalidTailLimit", "QueueCapacity" },
        { "Start-CfTail -Script 'API'", "InvalidScriptName", "Script" },
        { "Start-CfTail -Script 'my script'", "InvalidScriptName", "Script" },
        { "Get-CfTail -Script '../accounts'", "InvalidScriptName", "Script" },
        { "Stop-CfTail -Script 'A B'", "InvalidScriptName", "Script" },
        { "Stop-CfTail -Script api -Id ' '", "InvalidTailLimit", "Id" },
        { "Start-CfTail -PagesProject docs -Environment staging", "InvalidPagesEnvironment", "Environment" },
        { "Start-CfTail -PagesProject docs -Environment ''", "InvalidPagesEnvironment", "Environment" },
        { "Start-CfTail -Script api -Environment preview", "TailEnvironmentWithoutPagesProject", "Environment" },
        { "'api' | Start-CfTail -Environment production", "TailEnvironmentWithoutPagesProject", "Environment" },
        { "Start-CfTail -PagesProject 'My Site'", "InvalidPagesProjectName", "PagesProject" },
        { "Start-CfTail -PagesProject docs -Status fine", "InvalidTailStatus", "Status" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tail_commands_refuse_bad_input_without_a_request(string script, string errorId, string parameter)
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(parameter, (error.Exception as ArgumentException)?.ParamName + " " + (error.ErrorDetails?.Message ?? error.Exception.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(Emulator.Requests);
        Assert.Empty(new EmulatorTails(Emulator).All());
    }
}
