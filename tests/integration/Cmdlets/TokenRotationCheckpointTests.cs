using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Checkpoint-/Get-CfTokenRotation in process: a rotation recorded stage by stage on SQLite and on D1 reads back the same,
/// and bad input is refused with its ErrorId before anything is written. The composite that uses them is proven in real
/// pwsh by tests/pester/Rotation.Tests.ps1.
/// </summary>
public class TokenRotationCheckpointTests : CmdletTestBase
{
    private const string TokenId = "0123456789abcdef0123456789abcdef";

    private string NewD1Database()
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        var response = http.PostAsync($"accounts/{Emulator.State.AccountId}/d1/database",
            new StringContent("{\"name\":\"cf-ledger-" + Guid.NewGuid().ToString("N") + "\"}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("result").GetProperty("uuid").GetString()!;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_rotation_recorded_stage_by_stage_reads_back_the_same_on_both_engines(bool d1)
    {
        ConnectOrFail();
        var ledger = d1 ? "-LedgerDatabaseId $Db" : "";
        if (d1) Ps.Set("Db", NewD1Database());
        Emulator.ClearRequests();
        var started = Ps.Run($"Checkpoint-CfTokenRotation -New -SecretName CF_WAF_EDIT_RAXX_APP -Vault Ops -Kind ApiToken -TokenId {TokenId} -Confirm:$false {ledger}");
        started.AssertSucceeded("start");
        Ps.Set("Rotation", started.Output[0]);
        Ps.Run($@"
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Verify -Status Completed -Confirm:$false {ledger}
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Roll -Status Started -Confirm:$false {ledger}").AssertNoErrors();

        var pending = Ps.Run($"Get-CfTokenRotation -SecretName CF_WAF_* -Incomplete {ledger}");
        pending.AssertSucceeded("pending");
        dynamic r = pending.Output.Single();
        Assert.Equal("Ops", (string)r.Vault);
        Assert.Equal("Verify", r.Stage.ToString());
        Assert.Equal("Roll", r.PendingStage.ToString());
        Assert.Equal("Running", r.State.ToString());
        Assert.NotNull(r.RollStartedOn);

        Ps.Run($@"
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Roll -Status Completed -Confirm:$false {ledger}
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Distribute -Status Failed -Consumer 'worker:api/CF_WAF' -ErrorId ApiUnavailable -Detail '503 from the Worker' -Confirm:$false {ledger}
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Distribute -Status Failed -ErrorId ConsumerUpdateFailed -Confirm:$false {ledger}").AssertNoErrors();
        dynamic failed = Ps.Run($"Get-CfTokenRotation -Id $Rotation.Id {ledger}").Output.Single();
        Assert.Equal("Failed", failed.State.ToString());
        Assert.Equal("ConsumerUpdateFailed", (string)failed.LastErrorId);
        Assert.Equal("ApiUnavailable", (string)failed.Consumers[0].ErrorId);

        var done = Ps.Run($@"
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Distribute -Status Completed -Consumer 'worker:api/CF_WAF' -Confirm:$false {ledger}
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Distribute -Status Completed -Confirm:$false {ledger}
Checkpoint-CfTokenRotation -Id $Rotation.Id -Stage Validate -Status Completed -Confirm:$false -PassThru {ledger}");
        done.AssertSucceeded("complete");
        dynamic complete = done.Output.Single();
        Assert.Equal("Completed", complete.State.ToString());
        Assert.Empty(Ps.Run($"Get-CfTokenRotation -Incomplete {ledger}").Output);
        Assert.Empty(Emulator.Requests.Where(q => !q.Path.Contains("/d1/", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string> BadInput => new()
    {
        { "Checkpoint-CfTokenRotation -New -SecretName ' ' -Vault Ops -Confirm:$false", "InvalidName" },
        { "Checkpoint-CfTokenRotation -New -SecretName X -Vault Ops -TokenId nope -Confirm:$false", "InvalidId" },
        { "Checkpoint-CfTokenRotation -Id nope -Stage Verify -Status Completed -Confirm:$false", "InvalidOperationId" },
        { $"Checkpoint-CfTokenRotation -Id {TokenId} -Stage None -Status Completed -Confirm:$false", "InvalidRotationStage" },
        { $"Checkpoint-CfTokenRotation -Id {TokenId} -Stage Verify -Status Completed -Consumer 'worker:a/B' -Confirm:$false", "InvalidRotationStage" },
        { $"Checkpoint-CfTokenRotation -Id {TokenId} -Stage Verify -Status Failed -ErrorId 'has space' -Confirm:$false", "InvalidName" },
        { $"Checkpoint-CfTokenRotation -Id {TokenId} -Stage Verify -Status Failed -Detail 'cfut_Zk3pQ9vX2mW7rT5yL8nB4cD6fG1hJ0aS9dF3gH5jK7l' -Confirm:$false", "RotationTextLooksLikeSecret" },
        { $"Checkpoint-CfTokenRotation -Id {TokenId} -Stage Verify -Status Failed -Detail \"two`nlines\" -Confirm:$false", "InvalidName" },
        { "Get-CfTokenRotation -Id nope", "InvalidOperationId" },
        { "Get-CfTokenRotation -SecretName 'a[b'", "InvalidWildcardPattern" },
        { "Get-CfTokenRotation -Vault ' '", "InvalidName" },
        // This host has no SecretManagement: refused before anything (the real-vault cases are in Rotation.Tests.ps1).
        { $"Save-CfRescuedCredential -TokenId {TokenId} -Vault Ops -Confirm:$false", "SecretManagementUnavailable" },
        { "Set-CfGitHubActionsVariable -GitHubEnv CF_TOKEN -Value (ConvertTo-SecureString x -AsPlainText -Force) -Confirm:$false", "GitHubActionsRequired" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_refused_before_anything_is_written(string script, string errorId)
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        Ps.Run(script).AssertFailedWith(script, errorId);
        Assert.Empty(Emulator.Requests);
        Assert.False(File.Exists(LedgerPath) && Ps.Run("Get-CfLedger -Kind Rotation").Output.Count > 0, "nothing was recorded");
    }
}
