using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Every Worker script, version, deployment and tail-consumer command with -Verbose -Debug, on success, refusal and
/// API failure paths, and through the default views: the session token appears nowhere. Nothing else here is secret.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class WorkerDeploymentLeakTests : CmdletTestBase
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public async Task No_Worker_deployment_command_leaks_the_session_token()
    {
        var uploads = new WorkerUploads(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);
        var v1 = await uploads.UploadScriptAsync("api", "one", "prod");
        var v2 = await uploads.UploadVersionAsync("api", "two", "second");
        await uploads.UploadScriptAsync("logger");
        // Connected through the environment variable, as CI does: the token travels the implicit-connect path too.
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", AdminToken), ("CLOUDFLARE_ACCOUNT_ID", Emulator.State.AccountId),
            ("CLOUDFLARE_API_BASE_URL", Emulator.BaseUri.ToString()));
        Ps.Set("v1", v1);
        Ps.Set("v2", v2);

        var scripts = new (string Script, string? ErrorId, int MinOutput)[]
        {
            ("Get-CfWorker -Verbose -Debug", null, 3),
            ("Get-CfWorker -Name api -Tag prod -Verbose -Debug", null, 1),
            ("Get-CfWorker -Name ghost -Verbose -Debug", "WorkerScriptNotFound", 0),
            ("Get-CfWorker -Name 'BAD' -Verbose -Debug", "InvalidScriptName", 0),
            ("Get-CfWorkerVersion -Script api -Verbose -Debug", null, 2),
            ("Get-CfWorkerVersion -Script api -Deployable -Verbose -Debug", null, 2),
            ("Get-CfWorkerVersion -Script api -Id $v2 -Verbose -Debug", null, 1),
            ("Get-CfWorkerVersion -Script api -Id 'nope' -Verbose -Debug", "InvalidVersionId", 0),
            ("Get-CfWorkerDeployment -Script api -Verbose -Debug", null, 1),
            ("Get-CfWorkerDeployment -Script ghost -Verbose -Debug", "WorkerScriptNotFound", 0),
            ("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 10 -WhatIf -Verbose -Debug", null, 0),
            ("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 10 -Message canary -Verbose -Debug", null, 1),
            ("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 10 -Verbose -Debug", null, 1),
            ("Set-CfWorkerDeployment -Script api -VersionId $v2 -Percentage 101 -Verbose -Debug", "InvalidPercentage", 0),
            ("Set-CfWorkerDeployment -Script api -VersionId 18f97339-c287-4872-9bdd-e2135c07ec12 -Verbose -Debug", "WorkerVersionNotFound", 0),
            ("Set-CfWorkerDeployment -Script api -VersionId $v1 -Force -Verbose -Debug", null, 1),
            ("Get-CfWorkerTailConsumer -Script api -Verbose -Debug", null, 0),
            ("Set-CfWorkerTailConsumer -Script api -Add logger -Verbose -Debug", null, 1),
            ("Set-CfWorkerTailConsumer -Script api -Add logger -Verbose -Debug", null, 1),
            ("Set-CfWorkerTailConsumer -Script api -Replace @() -WhatIf -Verbose -Debug", null, 0),
            ("Set-CfWorkerTailConsumer -Script api -Add 'Bad Name' -Verbose -Debug", "InvalidScriptName", 0),
            ("Get-CfWorkerTailConsumer -Script api -Verbose -Debug", null, 1),
        };
        foreach (var (script, errorId, minOutput) in scripts)
        {
            var result = Ps.Run(Preferences + script);
            if (errorId == null) result.AssertSucceeded(script, minOutput);
            else result.AssertFailedWith(script, errorId);
            SecretAssert.NotLeaked(result, AdminToken);
        }
        // The -Verbose lines really ran (a command that wrote nothing would prove nothing).
        Assert.Contains(Ps.Run(Preferences + "Set-CfWorkerTailConsumer -Script api -Add logger").Verbose, v => v.Message.Contains("nothing to change"));

        // API failures, retried and then reported, keep the token out of errors and diagnostics too.
        Emulator.Faults.Add(new CfManagement.Emulator.FaultRule { Kind = CfManagement.Emulator.FaultKind.Status, StatusCode = 500, PathContains = "/workers/", Times = -1 });
        var failed = Ps.Run(Preferences + "Get-CfWorker -Verbose -Debug");
        failed.AssertFailedWith("Get-CfWorker under a 500", "ApiUnavailable");
        SecretAssert.NotLeaked(failed, AdminToken);
        Emulator.Faults.Clear();

        var rendered = Ps.Render("Get-CfWorker; Get-CfWorkerVersion -Script api; Get-CfWorkerDeployment -Script api; Get-CfWorkerTailConsumer -Script api; Set-CfWorkerTailConsumer -Script api -Add logger");
        foreach (var expected in new[] { "api", v1[..8], "logger", "Unchanged" })
            Assert.True(rendered.Contains(expected), $"'{expected}' not rendered: {rendered}");
        Assert.DoesNotContain(AdminToken[5..], rendered);
    }
}
