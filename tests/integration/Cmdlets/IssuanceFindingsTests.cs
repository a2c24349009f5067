using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Issue 7, findings A-E: the one credential-issuance sequence under Ctrl+C, a killed process, failing vaults and
/// racing cleanups. Each of these failed before the sequence existed.
/// </summary>
public class IssuanceFindingsTests : CmdletTestBase
{
    private const string Mint = "New-CfManagedToken -Name dns-sync -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 8:00:00 -Confirm:$false";

    private bool TokenExists(string name) => Emulator.State.AllTokens.Any(t => t.Name == name);

    private IReadOnlyList<LedgerRow> Ledger() => LedgerReader.Entries(LedgerPath);

    private (IAsyncResult Async, PowerShell Ps) Start(string script)
    {
        var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(script);
        return (ps.BeginInvoke(), ps);
    }

    private static void WaitFor(Func<bool> condition, double seconds = 10)
    {
        var watch = Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromSeconds(seconds)) Thread.Sleep(20);
    }

    private List<string> Rescued()
    {
        var values = new List<string>();
        if (Ps.Get("CfRescuedCredentials") is System.Collections.IEnumerable rescued)
            foreach (var credential in rescued) values.Add(Plain.Of(((dynamic)credential).Value));
        return values;
    }

    [Fact]
    public void A_Ctrl_C_during_a_slow_failing_vault_write_of_a_roll_keeps_the_new_value()
    {
        var (id, old) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "slow-vault", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(2));
        FakeVault.FailNextWrites(Ps, -1);
        var (async, ps) = Start($"Invoke-CfTokenRoll -Id {id} -Vault Ops -Confirm:$false -Verbose");
        using (ps)
        {
            WaitFor(() => Emulator.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith("/value")));
            Thread.Sleep(700); // rolled; inside the first (slow, failing) Set-Secret
            ps.Stop();
            Assert.True(async.IsCompleted);
        }
        Assert.False(Emulator.State.IsValueLive(old));
        var candidates = Rescued();
        if (FakeVault.Contents(Ps).ContainsKey("Ops/slow-vault")) candidates.Add(FakeVault.Value(Ps, "Ops/slow-vault")!);
        Assert.Contains(candidates, Emulator.State.IsValueLive);
        var ledger = Ledger();
        Assert.Contains(ledger, e => e.Action == "rescue" && e.TokenId == id);
        foreach (var value in candidates) Assert.DoesNotContain(ledger, e => e.ToString().Contains(value[5..]));
    }

    [Fact]
    public void B_a_token_created_but_never_registered_is_found_by_its_Pending_trace_and_revoked()
    {
        ConnectOrFail(extra: "-MaxRetryCount 0");
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // creates the schema (Get-CfLedger only reads: it creates nothing)
        // The process "dies" right after Cloudflare's create answer: every ledger write after mint/Pending is lost,
        // and the flow's own rollback cannot reach Cloudflare either.
        Sql("CREATE TRIGGER lost_entries BEFORE INSERT ON ledger_entries WHEN NEW.outcome <> 'Pending' BEGIN SELECT RAISE(ABORT, 'killed'); END;" +
            "CREATE TRIGGER lost_rows BEFORE INSERT ON managed_tokens BEGIN SELECT RAISE(ABORT, 'killed'); END;");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/user/tokens/" });
        Ps.Run(Mint);
        Assert.True(TokenExists("dns-sync"));
        Assert.Empty(LedgerReader.Managed(LedgerPath));
        var pending = Assert.Single(Ledger());
        Assert.Equal("mint:Pending", $"{pending.Action}:{pending.Outcome}");

        Sql("DROP TRIGGER lost_entries; DROP TRIGGER lost_rows;");
        Emulator.Faults.Clear();
        Assert.Empty(Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -PassThru").Output); // younger than the orphan age: maybe still running
        Assert.True(TokenExists("dns-sync"));
        var result = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0 -PassThru");
        result.AssertNoErrors();
        Assert.False(TokenExists("dns-sync"));
        Assert.Equal("dns-sync", (string)((dynamic)result.Output.Single()).Name);
        Assert.Contains(Ledger(), e => e.Kind == "Cleanup" && e.Action == "revoke" && e.Outcome == "Succeeded" && e.TokenName == "dns-sync");

        // Done once: the next run finds nothing left.
        Emulator.ClearRequests();
        Assert.Empty(Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0 -PassThru").Output);
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public void C_Ctrl_C_during_a_blocking_vault_write_of_a_managed_token_rolls_back()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(3));
        var (async, ps) = Start(Mint + " -Vault Ops");
        using (ps)
        {
            WaitFor(() => TokenExists("dns-sync"));
            Thread.Sleep(700); // minted, verified, recorded: inside the blocking Set-Secret
            ps.Stop();
            Assert.True(async.IsCompleted);
        }
        Assert.False(TokenExists("dns-sync"));
        Assert.Equal("RolledBack", LedgerReader.Managed(LedgerPath).Single().State);
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "RolledBack");
        Assert.DoesNotContain(Ledger(), e => e.Action == "activate");
        Assert.False(FakeVault.Contents(Ps).ContainsKey("Ops/dns-sync"));
    }

    [Fact]
    public void D_a_rollback_whose_Remove_Secret_fails_leaves_the_registry_Pending_for_cleanup()
    {
        ConnectOrFail(extra: "-MaxRetryCount 0");
        FakeVault.Install(Ps);
        FakeVault.FailNextRemovals(Ps, -1);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = "/secrets" });
        var error = Ps.Run(Mint + " -Vault Ops -WorkerScript api-worker").SingleError();
        Assert.StartsWith("RollbackFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("Pending", error.ErrorDetails.Message);
        Assert.Contains("vault:Ops/dns-sync", error.ErrorDetails.Message);
        Assert.False(TokenExists("dns-sync")); // revoked: the stored copy is dead
        Assert.Equal("Pending", LedgerReader.Managed(LedgerPath).Single().State);
        Assert.True(FakeVault.Contents(Ps).ContainsKey("Ops/dns-sync"));

        FakeVault.FailNextRemovals(Ps, 0);
        Emulator.Faults.Clear();
        Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0").AssertNoErrors();
        Assert.False(FakeVault.Contents(Ps).ContainsKey("Ops/dns-sync"));
        Assert.Equal("Revoked", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void E_racing_cleanups_report_each_token_removed_once()
    {
        ConnectOrFail();
        for (var i = 0; i < 10; i++)
            Ps.Run($"New-CfManagedToken -Name short-{i} -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Confirm:$false").AssertNoErrors();
        Thread.Sleep(3200);

        var runners = Enumerable.Range(0, 4).Select(_ =>
        {
            var session = new PsSession();
            session.Set("CfTestToken", PsSession.Secure(AdminToken));
            session.Set("CfTestLedger", LedgerPath);
            session.Set("ApiBaseUri", Emulator.BaseUri.ToString());
            session.Run("Connect-CfAccount -ApiToken $CfTestToken -ApiBaseUri $ApiBaseUri -LedgerPath $CfTestLedger -MaxRetryWaitSeconds 5").AssertNoErrors();
            return session;
        }).ToList();
        try
        {
            var results = runners.Select(r => Task.Run(() => r.Run("Remove-CfExpiredManagedToken -PassThru"))).ToArray();
            Task.WaitAll(results);
            foreach (var result in results) result.Result.AssertNoErrors();
            Assert.Equal(10, results.Sum(r => r.Result.Output.Count));
            Assert.Equal(10, Ledger().Count(e => e.Action == "complete" && e.Outcome == "Succeeded"));
            // A revoke another run had already done is Skipped, so each token is revoked (Succeeded) exactly once.
            Assert.Equal(10, Ledger().Count(e => e.Action == "revoke" && e.Outcome == "Succeeded" && e.TokenName!.StartsWith("short-")));
            Assert.All(LedgerReader.Managed(LedgerPath), row => Assert.Equal("Revoked", row.State));
            Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name.StartsWith("short-"));
        }
        finally
        {
            foreach (var runner in runners) runner.Dispose();
        }
    }

    private void Sql(string text)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LedgerPath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = text;
        command.ExecuteNonQuery();
    }
}

/// <summary>The two other disagreements of issue 7, resolved one way (see the help of the three commands).</summary>
public class IssuanceDecisionTests : CmdletTestBase
{
    [Fact]
    public void A_managed_token_with_fewer_permissions_than_asked_is_rolled_back_everywhere()
    {
        Emulator.State.AddUser("limited@example.com", false, [Emulator.State.PermissionGroupId("API Tokens Write"), Emulator.State.PermissionGroupId("DNS Read")]);
        var (_, limited) = Emulator.State.AddUserToken("limited@example.com", "limited-manager",
            [Emulator.State.PermissionGroupId("API Tokens Write"), Emulator.State.PermissionGroupId("API Tokens Read"), Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail(limited);
        Ps.Run("Get-CfPermissionGroup | Out-Null").AssertNoErrors();
        var result = Ps.Run("New-CfManagedToken -Name wants-more -Purpose test -PermissionGroup 'DNS Read','DNS Write' -AllZones -Ttl 1:00:00 -Confirm:$false");
        var error = result.SingleError();
        Assert.StartsWith("ManagedTokenRolledBack,", error.FullyQualifiedErrorId);
        Assert.Contains("fewer permissions", error.ErrorDetails.Message);
        Assert.Empty(result.Output); // no value handed out: the token is revoked
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name == "wants-more");
        Assert.Equal("RolledBack", LedgerReader.Managed(LedgerPath).Single().State);
    }

    [Fact]
    public void Reissuing_a_managed_token_marks_its_row_Replaced_and_registers_the_replacement()
    {
        ConnectOrFail();
        Ps.Run("New-CfManagedToken -Name dns-sync -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Read' -AllZones -Ttl 8:00:00 -WorkerScript api-worker -Confirm:$false").AssertNoErrors();
        var oldId = LedgerReader.Managed(LedgerPath).Single().TokenId;
        var result = Ps.Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'DNS Write' -AllZones -Reissue -WorkerScript api-worker -WorkerSecretName DNS_SYNC -Confirm:$false");
        result.AssertNoErrors();
        var newId = (string)((dynamic)result.Output.Single()).Id;
        var rows = LedgerReader.Managed(LedgerPath);
        var old = rows.Single(r => r.TokenId == oldId);
        Assert.Equal("Replaced", old.State);
        Assert.Equal(newId, old.ReplacedBy);
        var replacement = rows.Single(r => r.TokenId == newId);
        Assert.Equal("Active", replacement.State);
        Assert.Equal("dns-sync-reissued", replacement.TokenName);
        var listed = Ps.Run("Get-CfManagedToken");
        listed.AssertNoErrors();
        Assert.Contains(listed.Output, o => (string)((dynamic)o).TokenId == newId && (string)((dynamic)o).Purpose == "nightly DNS sync");
    }

    [Fact]
    public void Ctrl_C_during_the_delivery_of_a_reissue_withdraws_the_replacement_and_keeps_the_old_token()
    {
        var (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "ci-stop", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(3));
        using (var ps = PowerShell.Create())
        {
            ps.Runspace = Ps.Runspace;
            ps.AddScript($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault Ops -Confirm:$false");
            var async = ps.BeginInvoke();
            var watch = Stopwatch.StartNew();
            while (!Emulator.State.AllTokens.Any(t => t.Name == "ci-stop-reissued") && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
            Thread.Sleep(700); // inside the blocking Set-Secret
            ps.Stop();
            Assert.True(async.IsCompleted);
        }
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name == "ci-stop-reissued");
        Assert.True(Emulator.State.IsValueLive(oldValue));
        Assert.False(FakeVault.Contents(Ps).ContainsKey("Ops/ci-stop"));
        Assert.Contains(LedgerReader.Entries(LedgerPath, kind: "Repair"), e => e.Action == "rollback" && e.Outcome == "RolledBack");
    }
}
