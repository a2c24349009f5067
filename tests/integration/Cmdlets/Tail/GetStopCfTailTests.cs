using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>
/// Get-CfTail lists a Worker's active tails; Stop-CfTail deletes those a killed process left behind (created here
/// straight through the API, so no Start-CfTail is alive to delete them), by -Id, by script, or piped from Get-CfTail.
/// </summary>
public class GetStopCfTailTests : CmdletTestBase
{
    private WorkerUploads Uploads => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorApi Api => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorTails Tails => new(Emulator);

    private static string? Prop(PSObject o, string name) => o.Properties[name]?.Value?.ToString();

    private int TailDeletes => Emulator.Requests.Count(r => r.Method == "DELETE" && r.Path.Contains("/tails/", StringComparison.Ordinal));

    [Fact]
    public async Task Get_CfTail_lists_the_active_tails_of_a_script_and_takes_Get_CfWorker_from_the_pipeline()
    {
        await Uploads.UploadScriptAsync("api");
        await Uploads.UploadScriptAsync("web");
        var left = new[] { await Api.CreateWorkerTailAsync("api"), await Api.CreateWorkerTailAsync("api") };
        var other = await Api.CreateWorkerTailAsync("web");
        ConnectOrFail();

        var listed = Ps.Run("Get-CfTail -Script api");
        listed.AssertSucceeded("Get-CfTail", 2);
        var tails = listed.Output;
        Assert.All(tails, t => Assert.Equal("CfManagement.Model.CfTail", t.BaseObject.GetType().FullName));
        Assert.Equal(left.Order(), tails.Select(t => Prop(t, "Id")).Order());
        Assert.All(tails, t => Assert.Equal("api", Prop(t, "ScriptName")));
        Assert.All(tails, t => Assert.True((DateTimeOffset)t.Properties["ExpiresAt"].Value > DateTimeOffset.UtcNow, $"{t} expires {Prop(t, "ExpiresAt")}"));

        var piped = Ps.Run("Get-CfWorker | Get-CfTail");
        piped.AssertSucceeded("Get-CfWorker | Get-CfTail", 3);
        Assert.Equal(left.Append(other).Order(), piped.Output.Select(t => Prop(t, "Id")).Order());
        Assert.Equal(["api", "api", "web"], piped.Output.Select(t => Prop(t, "ScriptName")).Order());

        // The default view shows script, id and expiry.
        var rendered = Ps.Render("Get-CfTail -Script web");
        Assert.Contains(other, rendered);
        Assert.Contains("ExpiresAt", rendered);
    }

    [Fact]
    public async Task Get_CfTail_of_a_script_without_tails_is_empty_and_an_unknown_script_is_an_error()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        Ps.Run("Get-CfTail -Script api").AssertSucceeded("no tails", 0);
        Assert.Empty(Ps.Run("Get-CfTail -Script api").Output);
        var error = Ps.Run("Get-CfTail -Script nope").SingleError();
        Assert.StartsWith("WorkerScriptNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public async Task Stop_CfTail_deletes_every_tail_left_behind_by_a_killed_process()
    {
        await Uploads.UploadScriptAsync("api");
        await Uploads.UploadScriptAsync("web");
        await Api.CreateWorkerTailAsync("api");
        await Api.CreateWorkerTailAsync("api");
        var kept = await Api.CreateWorkerTailAsync("web");
        ConnectOrFail();

        Ps.Run("Stop-CfTail -Script api -Confirm:$false").AssertSucceeded("Stop-CfTail", 0);
        Assert.Equal(2, TailDeletes);
        Assert.Equal([kept], Tails.All().Select(t => t.Id));
        Assert.Empty(Ps.Run("Get-CfTail -Script api").Output);
    }

    [Fact]
    public async Task Stop_CfTail_takes_tails_piped_from_Get_CfTail_and_deletes_only_those()
    {
        await Uploads.UploadScriptAsync("api");
        var first = await Api.CreateWorkerTailAsync("api");
        var second = await Api.CreateWorkerTailAsync("api");
        ConnectOrFail();

        Ps.Run($"Get-CfTail -Script api | Where-Object Id -eq '{first}' | Stop-CfTail -Confirm:$false").AssertSucceeded("piped", 0);
        Assert.Equal([second], Tails.All().Select(t => t.Id));
        Assert.Single(Emulator.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/tails/" + first, StringComparison.Ordinal));

        Ps.Run("Get-CfTail -Script api | Stop-CfTail -Confirm:$false").AssertSucceeded("piped all", 0);
        Assert.Empty(Tails.All());
        Assert.Equal(2, TailDeletes);
    }

    [Fact]
    public async Task WhatIf_deletes_nothing()
    {
        await Uploads.UploadScriptAsync("api");
        var id = await Api.CreateWorkerTailAsync("api");
        ConnectOrFail();

        var byScript = Ps.Run("Stop-CfTail -Script api -WhatIf");
        var piped = Ps.Run("Get-CfTail -Script api | Stop-CfTail -WhatIf");
        byScript.AssertNoErrors();
        piped.AssertNoErrors();
        Assert.Contains(id, Ps.Host.Text); // "What if: Performing the operation "Delete" on target "tail <id> of Worker 'api'"."
        Assert.Equal(0, TailDeletes);
        Assert.Equal([id], Tails.All().Select(t => t.Id));
    }

    [Fact]
    public async Task A_tail_already_gone_is_TailNotFound_and_the_others_are_still_deleted()
    {
        await Uploads.UploadScriptAsync("api");
        var live = await Api.CreateWorkerTailAsync("api");
        var gone = await Api.CreateWorkerTailAsync("api");
        ConnectOrFail();
        Ps.Run($"Stop-CfTail -Script api -Id {gone} -Confirm:$false").AssertSucceeded("first stop", 0);

        var again = Ps.Run($"Stop-CfTail -Script api -Id {gone},{live} -Confirm:$false");
        var error = again.SingleError();
        Assert.StartsWith("TailNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains(gone, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(Tails.All());

        // Stopping every tail of a script that has none is not an error: nothing was left behind.
        Ps.Run("Stop-CfTail -Script api -Confirm:$false").AssertSucceeded("nothing left", 0);
    }
}
