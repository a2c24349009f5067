using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class ManagedTokenTests : CmdletTestBase
{
    private const string Mint = "New-CfManagedToken -Name dns-sync -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 8:00:00 -Confirm:$false";

    private bool TokenExists(string name) => Emulator.State.AllTokens.Any(t => t.Name == name);

    private IReadOnlyList<LedgerRow> Ledger() => LedgerReader.Entries(LedgerPath);

    [Fact]
    public void Mints_stores_in_a_vault_with_metadata_records_and_returns_metadata_only()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var result = Ps.Run(Mint + " -Vault Ops -Verbose -Debug");
        result.AssertNoErrors();
        dynamic managed = result.Output.Single();
        Assert.Null((object?)managed.Value);
        Assert.Equal("nightly DNS sync", (string)managed.Purpose);
        Assert.Equal(new[] { "vault:Ops/dns-sync" }, ((IEnumerable<string>)managed.Destinations).ToArray());
        var stored = FakeVault.Value(Ps, "Ops/dns-sync")!;
        Assert.True(Emulator.State.IsValueLive(stored));
        var meta = FakeVault.Metadata(Ps, "Ops/dns-sync")!;
        Assert.Equal((string)managed.TokenId, meta["TokenId"]);
        Assert.Equal("nightly DNS sync", meta["Purpose"]);
        Assert.Equal(new[] { "mint:Pending", "mint:Succeeded", "store:Succeeded", "activate:Succeeded" },
            Ledger().Select(e => $"{e.Action}:{e.Outcome}"));
        Assert.Equal("Active", LedgerReader.Managed(LedgerPath).Single().State);
        SecretAssert.NotLeaked(result, stored);
        Assert.DoesNotContain(Ledger(), e => e.ToString().Contains(stored[5..]));
    }

    [Fact]
    public void Mints_into_a_Worker_secret_or_back_to_the_caller()
    {
        ConnectOrFail();
        Ps.Run(Mint + " -WorkerScript cron-worker -WorkerSecretName CF_DNS_TOKEN").AssertNoErrors();
        Assert.True(Emulator.State.IsValueLive(Emulator.State.WorkerSecretText("cron-worker", "CF_DNS_TOKEN")!));

        var toCaller = Ps.Run(Mint.Replace("dns-sync", "dns-adhoc"));
        toCaller.AssertNoErrors();
        var value = Plain.Of(((dynamic)toCaller.Output.Single()).Value);
        Assert.True(Emulator.State.IsValueLive(value));
    }

    [Fact]
    public void A_long_descriptive_name_is_not_mistaken_for_a_credential_by_the_ledger()
    {
        ConnectOrFail();
        var result = Ps.Run("New-CfManagedToken -Name ci-deploy-production-eu-west-cluster-primary -Purpose 'deploys' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -WorkerScript api-worker -Confirm:$false");
        result.AssertNoErrors();
        Assert.Equal("Active", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void Rolling_a_managed_token_updates_its_registry_row()
    {
        ConnectOrFail();
        Ps.Run(Mint + " -WorkerScript api-worker").AssertNoErrors();
        Assert.Null(LedgerReader.Managed(LedgerPath).Single().LastRotatedOn);
        Ps.Run("Get-CfToken -Name dns-sync | Invoke-CfTokenRoll -WorkerScript api-worker -WorkerSecretName DNS_SYNC -Confirm:$false").AssertNoErrors();
        var record = LedgerReader.Managed(LedgerPath).Single();
        Assert.InRange(record.LastRotatedOn!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal("Active", record.State);
        Assert.True(Emulator.State.IsValueLive(Emulator.State.WorkerSecretText("api-worker", "DNS_SYNC")!));

        // Rolled without naming its destination, the stored copy goes stale: say so.
        var bare = Ps.Run("Get-CfToken -Name dns-sync | Invoke-CfTokenRoll -Confirm:$false");
        bare.AssertNoErrors();
        Assert.Contains(bare.Warnings, w => w.Message.Contains("worker:api-worker/DNS_SYNC") && w.Message.Contains("dead old value"));
    }

    [Fact]
    public void A_failing_vault_rolls_everything_back()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, -1);
        var result = Ps.Run(Mint + " -Vault Ops");
        var error = result.SingleError();
        Assert.StartsWith("ManagedTokenRolledBack,", error.FullyQualifiedErrorId);
        Assert.False(TokenExists("dns-sync"));
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "RolledBack");
        Assert.Equal("RolledBack", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void A_failing_second_destination_removes_the_first()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        FakeVault.Install(Ps);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = "/secrets" });
        var error = Ps.Run(Mint + " -Vault Ops -WorkerScript api-worker").SingleError();
        Assert.StartsWith("ManagedTokenRolledBack,", error.FullyQualifiedErrorId);
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.False(TokenExists("dns-sync"));
        Assert.Empty(Emulator.State.WorkerSecretNames("api-worker"));
        Assert.Contains(Ledger(), e => e.Action == "unstore" && e.Destination == "vault:Ops/dns-sync");
    }

    [Theory]
    [InlineData(FaultKind.Status, 500, "ApiUnavailable")]
    [InlineData(FaultKind.Reset, 0, "ApiConnectionFailed")]
    public void A_create_that_fails_leaves_nothing_and_is_not_retried(FaultKind kind, int status, string errorId)
    {
        ConnectOrFail();
        var rule = Emulator.Faults.Add(new FaultRule { Kind = kind, StatusCode = status, Times = -1, Method = "POST", PathContains = "/user/tokens" });
        var error = Ps.Run(Mint).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(1, rule.Hits);
        Assert.False(TokenExists("dns-sync"));
        Assert.Contains(Ledger(), e => e.Action == "mint" && e.Outcome == "Failed");
    }

    [Fact]
    public void A_429_on_create_is_waited_out()
    {
        ConnectOrFail();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 1, Times = 1, Method = "POST", PathContains = "/user/tokens" });
        Ps.Run(Mint).AssertNoErrors();
        Assert.True(TokenExists("dns-sync"));
    }

    [Fact]
    public void An_unreachable_ledger_stops_the_flow_before_anything_is_minted()
    {
        ConnectOrFail();
        var error = Ps.Run(Mint + " -LedgerDatabaseId 00000000-0000-0000-0000-000000000000").SingleError();
        Assert.StartsWith("LedgerUnavailable,", error.FullyQualifiedErrorId);
        Assert.False(TokenExists("dns-sync"));
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "POST" && r.Path.EndsWith("/tokens"));
    }

    [Fact]
    public void The_D1_ledger_engine_records_the_same_flow()
    {
        ConnectOrFail();
        var created = Ps.Run("$null"); _ = created;
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        var response = http.PostAsync($"accounts/{Emulator.State.AccountId}/d1/database",
            new StringContent("{\"name\":\"cf-ledger\"}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        var uuid = System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("result").GetProperty("uuid").GetString()!;
        Ps.Run(Mint + $" -LedgerDatabaseId {uuid}").AssertNoErrors();
        var entries = Ps.Run($"Get-CfLedger -LedgerDatabaseId {uuid} -TokenName dns-sync");
        entries.AssertNoErrors();
        Assert.Equal(new[] { "mint", "mint", "activate" }, entries.Output.Select(o => (string)((dynamic)o).Action));
        Assert.Empty(LedgerReader.Entries(LedgerPath));
    }

    [Fact]
    public void Ctrl_C_during_the_store_step_rolls_back()
    {
        ConnectOrFail();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(30), Times = -1, Method = "PUT", PathContains = "/secrets" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(Mint + " -WorkerScript api-worker");
        var async = ps.BeginInvoke();
        var watch = Stopwatch.StartNew();
        while (!TokenExists("dns-sync") && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        Thread.Sleep(300);
        ps.Stop();
        Assert.True(async.IsCompleted);
        Assert.False(TokenExists("dns-sync"));
        Assert.Contains(Ledger(), e => e.Action == "rollback");
        Assert.NotEqual("Active", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void Ctrl_C_while_the_create_is_in_flight_leaves_no_token()
    {
        ConnectOrFail();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(3), Times = 1, Method = "POST", PathContains = "/user/tokens" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(Mint);
        var async = ps.BeginInvoke();
        var watch = Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith("/user/tokens")) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        ps.Stop();
        Assert.True(async.IsCompleted);
        Thread.Sleep(3500); // past the fault's delay: a create the server finished anyway would exist by now
        Assert.False(TokenExists("dns-sync"));
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Detail == "stopped during mint");
        // The create is a critical section: the stop waited for Cloudflare's answer, then revoked the token it named
        // (no guessing from a list).
        Assert.Contains(Emulator.Requests, r => r.Method == "DELETE" && r.Path.Contains("/user/tokens/") && r.Timestamp >= Emulator.Requests.First(q => q.Method == "POST").Timestamp);
        Assert.Equal("RolledBack", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void Cleanup_revokes_expired_tokens_removes_their_secrets_and_is_idempotent()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Ps.Run("New-CfManagedToken -Name short -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault Ops -Confirm:$false").AssertNoErrors();
        Ps.Run(Mint + " -Vault Ops").AssertNoErrors();
        Thread.Sleep(3200);

        var expired = Ps.Run("Get-CfManagedToken -Expired");
        Assert.Equal("short", (string)((dynamic)expired.Output.Single()).Name);

        var whatIf = Ps.Run("Remove-CfExpiredManagedToken -WhatIf");
        whatIf.AssertNoErrors();
        Assert.Contains("vault:Ops/short", whatIf.HostText);
        Assert.True(TokenExists("short"));

        var removed = Ps.Run("Remove-CfExpiredManagedToken -PassThru");
        removed.AssertNoErrors();
        Assert.Equal("short", (string)((dynamic)removed.Output.Single()).Name);
        Assert.False(TokenExists("short"));
        Assert.True(TokenExists("dns-sync"));
        Assert.False(FakeVault.Contents(Ps).ContainsKey("Ops/short"));
        Assert.True(FakeVault.Contents(Ps).ContainsKey("Ops/dns-sync"));
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single(r => r.TokenName == "short").State);

        Emulator.ClearRequests();
        var again = Ps.Run("Remove-CfExpiredManagedToken -PassThru");
        again.AssertNoErrors();
        Assert.Empty(again.Output);
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public void Cleanup_treats_a_vault_secret_already_removed_by_hand_as_done()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Ps.Run("New-CfManagedToken -Name short -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault Ops -Confirm:$false").AssertNoErrors();
        Ps.Run("Remove-Secret -Name short -Vault Ops").AssertNoErrors();
        Thread.Sleep(3200);
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors();
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single().State);
        Assert.False(TokenExists("short"));
    }

    [Fact]
    public void Cleanup_finishes_the_job_of_a_flow_that_died_midway()
    {
        // A process killed between mint and store leaves a Pending row and a live token; simulate exactly that.
        ConnectOrFail();
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "orphan", [Emulator.State.PermissionGroupId("DNS Read")],
            expiresOn: DateTimeOffset.UtcNow.AddHours(8));
        // The module creates its schema in the test's ledger file (a writing command: Get-CfLedger only reads, and creates nothing).
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors();
        LedgerSeeder.ManagedToken(LedgerPath, id, "orphan", "died", DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(8),
            ["worker:api-worker/ORPHAN"], "Pending");
        Assert.Empty(Ps.Run("Remove-CfExpiredManagedToken -PassThru").Output);
        Assert.True(TokenExists("orphan"));

        var result = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -PassThru");
        result.AssertNoErrors();
        Assert.Single(result.Output);
        Assert.False(TokenExists("orphan"));
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void A_failing_cleanup_step_is_reported_and_retried_next_run()
    {
        ConnectOrFail(extra: "-MaxRetryCount 0");
        Ps.Run("New-CfManagedToken -Name short -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -WorkerScript api-worker -Confirm:$false").AssertNoErrors();
        Thread.Sleep(3200);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = 1, Method = "DELETE", PathContains = "/secrets/" });
        var error = Ps.Run("Remove-CfExpiredManagedToken").SingleError();
        Assert.StartsWith("CleanupStepFailed,", error.FullyQualifiedErrorId);
        Assert.NotEqual("Revoked", LedgerReader.Managed(LedgerPath).Single().State);

        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors();
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single().State);
        Assert.Empty(Emulator.State.WorkerSecretNames("api-worker"));
    }

    [Theory]
    [InlineData(FaultKind.RateLimit)]
    [InlineData(FaultKind.Reset)]
    [InlineData(FaultKind.Status)]
    public void Cleanup_rides_out_transient_faults_on_the_revoke(FaultKind kind)
    {
        ConnectOrFail();
        Ps.Run("New-CfManagedToken -Name short -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Confirm:$false").AssertNoErrors();
        Thread.Sleep(3200);
        var rule = Emulator.Faults.Add(new FaultRule { Kind = kind, StatusCode = 502, RetryAfterSeconds = 1, Times = 1, Method = "DELETE", PathContains = "/user/tokens/" });
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // a revoke is idempotent, so every kind is retried
        Assert.Equal(1, rule.Hits);
        Assert.False(TokenExists("short"));
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void Get_CfLedger_filters()
    {
        ConnectOrFail();
        Ps.Run(Mint).AssertNoErrors();
        Assert.Equal(3, Ps.Run("Get-CfLedger -Kind ManagedToken").Output.Count);
        Assert.Single(Ps.Run("Get-CfLedger -Last 1").Output);
        Assert.Single(Ps.Run("Get-CfLedger -Outcome Pending").Output);
        Assert.Empty(Ps.Run("Get-CfLedger -Purpose nothing").Output);
        Assert.Matches(@"Timestamp\s+Kind\s+Action\s+Outcome", Ps.Render("Get-CfLedger"));
    }
}
