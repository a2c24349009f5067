using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class TokenLifecycleTests : CmdletTestBase
{
    private const string RaxxApp = "f12dbb5cac57d5591a5058874498a6d1";

    private TokenSnapshot TokenNamed(string name) => Emulator.State.AllTokens.Single(t => t.Name == name);

    [Fact]
    public void New_CfToken_resolves_names_and_zones_and_returns_a_live_SecureString()
    {
        ConnectOrFail();
        var result = Ps.Run("New-CfToken -Name dns-bot -PermissionGroup 'DNS Write','Zone Read' -Zone raxx.app -Ttl 1.00:00:00 -AllowedIp 127.0.0.1, 203.0.113.7 -DeniedIp 203.0.113.8 -Confirm:$false");
        result.AssertNoErrors();
        Assert.Empty(result.Warnings);
        dynamic credential = result.Output.Single();
        Assert.IsType<System.Security.SecureString>((object)credential.Value);
        Assert.True(Emulator.State.IsValueLive(Plain.Of(credential.Value)));
        var token = TokenNamed("dns-bot");
        Assert.Equal(new[] { "4755a26eedb94da69e1066d98aa820be", "c8fed203ed3043cba015a93ad1616f1f" }, token.AllowedGroupIds.Order());
        Assert.Contains(token.Policies, p => p.Resources.ContainsKey("com.cloudflare.api.account.zone." + RaxxApp));
        Assert.Equal(new[] { "127.0.0.1/32", "203.0.113.7/32" }, token.Condition!.In);
        Assert.Equal(new[] { "203.0.113.8/32" }, token.Condition!.NotIn);
        Assert.InRange(token.ExpiresOn!.Value, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        SecretAssert.NotLeaked(result, Plain.Of(credential.Value));
    }

    [Fact]
    public void New_CfToken_AsPlainText_and_account_owned_tokens()
    {
        ConnectOrFail();
        var result = Ps.Run("New-CfToken -Name acct-bot -PermissionGroup 'Workers Scripts Read' -Scope Account -AsPlainText -Confirm:$false");
        result.AssertNoErrors();
        dynamic credential = result.Output.Single();
        Assert.IsType<string>((object)credential.Value);
        Assert.StartsWith("cfat_", (string)credential.Value);
        Assert.Equal(TokenOwnerKind.Account, TokenNamed("acct-bot").OwnerKind);
    }

    [Fact]
    public void New_CfToken_warns_when_the_creator_could_not_grant_everything()
    {
        Emulator.State.AddUser("limited@example.com", false, [Emulator.State.PermissionGroupId("API Tokens Write"), Emulator.State.PermissionGroupId("DNS Read")]);
        var (_, limited) = Emulator.State.AddUserToken("limited@example.com", "limited-manager",
            [Emulator.State.PermissionGroupId("API Tokens Write"), Emulator.State.PermissionGroupId("API Tokens Read"), Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail(limited);
        var result = Ps.Run("Get-CfPermissionGroup | ForEach-Object { } ; New-CfToken -Name wants-more -PermissionGroup 'DNS Read','DNS Write' -AllZones -Confirm:$false");
        var warning = Assert.Single(result.Warnings.Where(w => w.Message.Contains("fewer permissions")));
        Assert.Contains("'DNS Write'", warning.Message);
        Assert.DoesNotContain("'DNS Read'", warning.Message);
    }

    [Fact]
    public void Set_CfToken_adds_and_removes_groups_without_dropping_the_rest_and_honours_WhatIf()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "waf-bot", [Emulator.State.PermissionGroupId("Zone Read")]);
        ConnectOrFail();
        Ps.Run($"Set-CfToken -Id {id} -AddPermissionGroup 'DNS Write' -Zone raxx.app -WhatIf").AssertNoErrors();
        Assert.Single(Emulator.State.GetToken(id)!.AllowedGroupIds);

        Ps.Run($"Set-CfToken -Id {id} -AddPermissionGroup 'DNS Write' -Zone raxx.app -Confirm:$false").AssertNoErrors();
        Assert.Equal(2, Emulator.State.GetToken(id)!.AllowedGroupIds.Count);

        var result = Ps.Run($"Get-CfToken -Id {id} | Set-CfToken -RemovePermissionGroup 'Zone Read' -NewName waf-bot-2 -Disable -PassThru -Confirm:$false");
        result.AssertNoErrors();
        var token = Emulator.State.GetToken(id)!;
        Assert.Equal(new[] { "4755a26eedb94da69e1066d98aa820be" }, token.AllowedGroupIds);
        Assert.Equal("waf-bot-2", token.Name);
        Assert.Equal("disabled", token.Status);
        Assert.Equal("disabled", (string)((dynamic)result.Output.Single()).Status);
    }

    [Fact]
    public void Remove_CfToken_revokes_piped_tokens_and_records_them()
    {
        foreach (var n in new[] { "tmp-1", "tmp-2" }) Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, n, [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        var result = Ps.Run("Get-CfToken -Name 'tmp-*' | Remove-CfToken -Confirm:$false");
        result.AssertNoErrors();
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name.StartsWith("tmp-"));
        Assert.Equal(2, LedgerReader.Entries(LedgerPath, kind: "Revocation").Count);
    }

    [Fact]
    public void Remove_CfToken_reports_an_invisible_token_as_TokenNotVisible()
    {
        var (_, reader) = Emulator.State.AddUserToken(Emulator.State.OpsUserEmail, "ops-manager",
            [Emulator.State.PermissionGroupId("API Tokens Read"), Emulator.State.PermissionGroupId("API Tokens Write")]);
        ConnectOrFail(reader);
        var error = Ps.Run($"Remove-CfToken -Id {Emulator.State.AdminTokenId} -Confirm:$false").SingleError();
        Assert.StartsWith("TokenNotVisible,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("belongs to another user", error.ErrorDetails.Message);
        Assert.NotNull(Emulator.State.GetToken(Emulator.State.AdminTokenId));
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public void Roll_through_the_pipeline_into_a_vault_kills_the_old_values_and_stores_the_new()
    {
        var olds = new[] { "ci-web", "ci-api" }.Select(n => Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, n, [Emulator.State.PermissionGroupId("DNS Read")])).ToList();
        ConnectOrFail();
        FakeVault.Install(Ps);
        var result = Ps.Run("Get-CfToken -Name 'ci-*' | Invoke-CfTokenRoll -Vault Ops -Confirm:$false -Verbose -Debug");
        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
        foreach (var (id, oldValue) in olds)
        {
            Assert.False(Emulator.State.IsValueLive(oldValue));
            var name = Emulator.State.GetToken(id)!.Name;
            var stored = FakeVault.Value(Ps, $"Ops/{name}")!;
            Assert.True(Emulator.State.IsValueLive(stored));
            Assert.Equal(id, FakeVault.Metadata(Ps, $"Ops/{name}")!["TokenId"]);
            SecretAssert.NotLeaked(result, stored, oldValue);
        }
        var rotations = LedgerReader.Entries(LedgerPath, kind: "Rotation");
        Assert.Equal(2, rotations.Count(e => e.Action == "roll" && e.Outcome == "Succeeded"));
        Assert.Equal(2, rotations.Count(e => e.Action == "store" && e.Destination!.StartsWith("vault:Ops/")));
    }

    [Fact]
    public void Roll_into_a_Worker_secret()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "edge-bot", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -WorkerScript api-worker -Confirm:$false");
        result.AssertNoErrors();
        var stored = Emulator.State.WorkerSecretText("api-worker", "EDGE_BOT")!;
        Assert.True(Emulator.State.IsValueLive(stored));
        Assert.Equal("worker:api-worker/EDGE_BOT", (string)((dynamic)result.Output.Single()).Destination);
        Assert.Null(((dynamic)result.Output.Single()).Value as string);
    }

    [Fact]
    public void A_vault_that_keeps_failing_never_loses_the_rolled_value()
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "fragile", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, -1);
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Vault Ops -Confirm:$false -Verbose -Debug");
        var error = result.SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        var rescued = Plain.Of(((dynamic)error.TargetObject).Value);
        Assert.True(Emulator.State.IsValueLive(rescued));
        Assert.False(Emulator.State.IsValueLive(old));
        Assert.Equal(3, Convert.ToInt32(Ps.Get("CfFakeVaultWrites")));
        SecretAssert.NotLeaked(result, rescued, old);
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "store" && e.Outcome == "Failed" && e.ErrorId == "DestinationWriteFailed");
    }

    [Fact]
    public void A_Worker_that_refuses_the_secret_hands_the_value_back_in_the_error()
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "edge-fail", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail(extra: "-MaxRetryCount 1");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = "/secrets" });
        var error = Ps.Run($"Invoke-CfTokenRoll -Id {id} -WorkerScript api-worker -Confirm:$false").SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.False(Emulator.State.IsValueLive(old));
        Assert.True(Emulator.State.IsValueLive(Plain.Of(((dynamic)error.TargetObject).Value)));
    }

    [Fact]
    public void A_vault_that_fails_once_is_retried()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "flaky", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, 1);
        Ps.Run($"Invoke-CfTokenRoll -Id {id} -Vault Ops -Confirm:$false").AssertNoErrors();
        Assert.True(Emulator.State.IsValueLive(FakeVault.Value(Ps, "Ops/flaky")!));
    }

    [Theory]
    [InlineData(FaultKind.Status, 502)]
    [InlineData(FaultKind.Reset, 0)]
    public void A_roll_is_never_retried_blindly(FaultKind kind, int status)
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "careful", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        var rule = Emulator.Faults.Add(new FaultRule { Kind = kind, StatusCode = status, Times = 1, Method = "PUT", PathContains = "/value" });
        var error = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Confirm:$false").SingleError();
        Assert.Equal(1, rule.Hits);
        Assert.Equal(kind == FaultKind.Reset ? "ApiConnectionFailed" : "ApiUnavailable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.True(Emulator.State.IsValueLive(old)); // the fault came before Cloudflare rolled it: nothing lost
        Assert.Single(Emulator.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public void A_429_on_roll_is_retried_because_Cloudflare_did_not_process_it()
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "patient", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 1, Times = 1, Method = "PUT", PathContains = "/value" });
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Confirm:$false");
        result.AssertNoErrors();
        Assert.False(Emulator.State.IsValueLive(old));
        Assert.True(Emulator.State.IsValueLive(Plain.Of(((dynamic)result.Output.Single()).Value)));
    }

    [Fact]
    public void Get_CfZone_by_name_wildcard_and_id()
    {
        ConnectOrFail();
        Assert.Equal(new[] { "getraxx.com", "raxx.app", "raxx.io" }, Ps.Run("Get-CfZone -Name '*raxx*'").Output.Select(o => (string)((dynamic)o).Name).Order());
        Assert.Equal("raxx.app", (string)((dynamic)Ps.Run($"Get-CfZone -Id {RaxxApp}").Output.Single()).Name);
        Assert.StartsWith("ZoneNotFound,", Ps.Run("Get-CfZone -Name nope.example").SingleError().FullyQualifiedErrorId);
        // Cloudflare answers an unknown zone id with 400 7003, not 404: still ZoneNotFound, as the help says.
        var unknownId = Ps.Run("Get-CfZone -Id 0123456789abcdef0123456789abcdef").SingleError();
        Assert.StartsWith("ZoneNotFound,", unknownId.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, unknownId.CategoryInfo.Category);
    }

    [Theory]
    [InlineData("-WorkerScript api-worker")]
    [InlineData("-Vault Ops")]
    [InlineData("")]
    public void Ctrl_C_during_a_roll_never_loses_the_new_value(string destination)
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "stop-me", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        FakeVault.Install(Ps);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(2), Times = 1, Method = "PUT", PathContains = "/value" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript($"Invoke-CfTokenRoll -Id {id} {destination} -Confirm:$false");
        var async = ps.BeginInvoke();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith("/value")) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(200); // the roll is in flight, held by the latency fault
        ps.Stop(); // returns once the critical roll and the store have finished
        Assert.True(async.IsCompleted);
        Assert.False(Emulator.State.IsValueLive(old));

        var candidates = new List<string>();
        if (Emulator.State.WorkerSecretText("api-worker", "STOP_ME") is { } worker) candidates.Add(worker);
        if (FakeVault.Contents(Ps).ContainsKey("Ops/stop-me")) candidates.Add(FakeVault.Value(Ps, "Ops/stop-me")!);
        if (Ps.Get("CfRescuedCredentials") is System.Collections.IEnumerable rescued)
            foreach (var credential in rescued) candidates.Add(Plain.Of(((dynamic)credential).Value));
        Assert.Contains(candidates, Emulator.State.IsValueLive);
        if (destination.Contains("Worker")) Assert.True(Emulator.State.IsValueLive(Emulator.State.WorkerSecretText("api-worker", "STOP_ME")!));
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "roll" && e.Outcome == "Succeeded");
    }
}
