using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public enum IssuanceFlow { Roll, Reissue, Managed }

public enum IssuanceFault { Api5xx, Reset, RateLimit, VaultFails, LedgerFails, CtrlC, RevokeFails }

/// <summary>
/// Issue 7, "must be proven": every issuing flow (roll into a vault, Repair-CfToken -Reissue into a vault,
/// New-CfManagedToken -Vault) under every fault of the sequence. Whatever happened, after the flow (and one
/// `Remove-CfExpiredManagedToken -IncludeOrphaned` once the faults are gone):
/// 0 orphaned tokens (a live token the flow created is delivered and recorded, or it is gone),
/// 0 lost values (a live issued value is in the vault, in $CfRescuedCredentials or in an error's TargetObject),
/// a consistent ledger (nothing Succeeded that did not happen; a `rescue` entry for a rescued value),
/// and no secret value in any stream or in the ledger.
/// </summary>
public class IssuanceFaultMatrixTests : CmdletTestBase
{
    private const string Vault = "Ops";

    [Theory]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.Api5xx)]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.Reset)]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.RateLimit)]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.VaultFails)]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.LedgerFails)]
    [InlineData(IssuanceFlow.Roll, IssuanceFault.CtrlC)]
    // A roll has no compensating revoke (the old value is already dead): IssuanceFault.RevokeFails does not apply.
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.Api5xx)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.Reset)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.RateLimit)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.VaultFails)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.LedgerFails)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.CtrlC)]
    [InlineData(IssuanceFlow.Reissue, IssuanceFault.RevokeFails)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.Api5xx)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.Reset)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.RateLimit)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.VaultFails)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.LedgerFails)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.CtrlC)]
    [InlineData(IssuanceFlow.Managed, IssuanceFault.RevokeFails)]
    public void Every_flow_under_every_fault_keeps_the_invariants(IssuanceFlow flow, IssuanceFault fault)
    {
        // ---- arrange: the token the flow starts from, and the names it will use ----
        string command, vaultKey, createdName;
        string? oldId = null, oldValue = null;
        switch (flow)
        {
            case IssuanceFlow.Roll:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "m-roll", [Emulator.State.PermissionGroupId("DNS Read")]);
                command = $"Invoke-CfTokenRoll -Id {oldId} -Vault {Vault} -Confirm:$false -Verbose";
                vaultKey = $"{Vault}/m-roll";
                createdName = "m-roll";
                break;
            case IssuanceFlow.Reissue:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "m-reissue", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
                command = $"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault {Vault} -Confirm:$false -Verbose";
                vaultKey = $"{Vault}/m-reissue";
                createdName = "m-reissue-reissued";
                break;
            default:
                command = $"New-CfManagedToken -Name m-managed -Purpose 'matrix test' -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 8:00:00 -Vault {Vault} -Confirm:$false -Verbose";
                vaultKey = $"{Vault}/m-managed";
                createdName = "m-managed";
                break;
        }
        ConnectOrFail(extra: fault is IssuanceFault.Api5xx or IssuanceFault.Reset or IssuanceFault.RevokeFails ? "-MaxRetryCount 1" : "");
        FakeVault.Install(Ps);
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // creates the ledger schema (for the trigger)

        var issueMethod = flow == IssuanceFlow.Roll ? "PUT" : "POST";
        var issuePath = flow == IssuanceFlow.Roll ? "/value" : "/user/tokens";
        switch (fault)
        {
            case IssuanceFault.Api5xx:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = issueMethod, PathContains = issuePath });
                break;
            case IssuanceFault.Reset:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Reset, Times = -1, Method = issueMethod, PathContains = issuePath });
                break;
            case IssuanceFault.RateLimit:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 1, Times = 1, Method = issueMethod, PathContains = issuePath });
                break;
            case IssuanceFault.VaultFails:
                FakeVault.FailNextWrites(Ps, -1);
                break;
            case IssuanceFault.LedgerFails:
                // Every ledger write after the issue request is refused (a locked or broken ledger file).
                Sql("CREATE TRIGGER lost_entries BEFORE INSERT ON ledger_entries WHEN NEW.outcome <> 'Pending' BEGIN SELECT RAISE(ABORT, 'ledger broken'); END;" +
                    "CREATE TRIGGER lost_rows BEFORE INSERT ON managed_tokens BEGIN SELECT RAISE(ABORT, 'ledger broken'); END;");
                break;
            case IssuanceFault.CtrlC:
                FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(3));
                break;
            case IssuanceFault.RevokeFails:
                FakeVault.FailNextWrites(Ps, -1);
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/tokens/" });
                break;
        }

        // ---- act ----
        var result = fault == IssuanceFault.CtrlC ? RunAndStop(command, issueMethod, issuePath) : Ps.Run(command);

        // ---- the faults go away; cleanup runs once ----
        Emulator.Faults.Clear();
        if (fault == IssuanceFault.LedgerFails) Sql("DROP TRIGGER lost_entries; DROP TRIGGER lost_rows;");
        FakeVault.FailNextWrites(Ps, 0);
        FakeVault.DelayWrites(Ps, TimeSpan.Zero);
        var candidates = new List<string>();
        if (FakeVault.Contents(Ps).ContainsKey(vaultKey)) candidates.Add(FakeVault.Value(Ps, vaultKey)!);
        var rescued = Rescued();
        candidates.AddRange(rescued);
        var inErrors = result.AllErrors.Select(e => e.TargetObject).Select(ValueOf).OfType<string>().ToList();
        candidates.AddRange(inErrors);
        var liveNew = candidates.Where(v => v != oldValue && Emulator.State.IsValueLive(v)).Distinct().ToList();
        var createdAfterFlow = flow == IssuanceFlow.Roll ? [] : Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();

        var cleanup = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0");
        cleanup.AssertNoErrors();

        var ledger = Ledger();
        var context = $"{flow}/{fault}: errors [{string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId))}], ledger [{string.Join(" ; ", ledger.Select(e => $"{e.Kind}/{e.Action}/{e.Outcome}"))}]";

        // ---- 0 lost values ----
        if (flow == IssuanceFlow.Roll)
        {
            if (!Emulator.State.IsValueLive(oldValue!))
                Assert.True(liveNew.Count >= 1, "the rolled value is lost: " + context);
        }
        else
        {
            Assert.True(createdAfterFlow.Count <= 1, "more than one token was created: " + context);
            if (createdAfterFlow.Count == 1) Assert.True(liveNew.Count >= 1, "a live created token whose value is nowhere: " + context);
        }

        // ---- 0 orphaned tokens ----
        var delivered = FakeVault.Contents(Ps).ContainsKey(vaultKey) && FakeVault.Value(Ps, vaultKey) != oldValue && Emulator.State.IsValueLive(FakeVault.Value(Ps, vaultKey)!);
        if (flow != IssuanceFlow.Roll)
        {
            var left = Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();
            if (!delivered) Assert.True(left.Count == 0, "an undelivered created token survived cleanup (orphan): " + context);
            else
            {
                var token = Assert.Single(left);
                if (fault != IssuanceFault.LedgerFails)
                    Assert.True(ledger.Any(e => e.Action == "store" && e.Outcome == "Succeeded" && e.TokenId == token.Id), "delivered but not recorded: " + context);
            }
        }

        // ---- a consistent ledger ----
        if (!delivered)
        {
            foreach (var store in ledger.Where(e => e.Action == "store" && e.Outcome == "Succeeded"))
                Assert.True(ledger.Any(e => e.Action == "unstore" && e.TokenId == store.TokenId && e.Sequence > store.Sequence), "a store Succeeded that is not in the vault: " + context);
            Assert.DoesNotContain(ledger, e => e.Action == "activate" && e.Outcome == "Succeeded");
            if (flow == IssuanceFlow.Reissue)
            {
                Assert.True(Emulator.State.IsValueLive(oldValue!) || liveNew.Count > 0, "the old token is revoked with no replacement kept: " + context);
                if (Emulator.State.IsValueLive(oldValue!)) Assert.DoesNotContain(ledger, e => e.Action == "revoke" && e.Outcome == "Succeeded" && e.TokenId == oldId);
            }
        }
        if (flow == IssuanceFlow.Managed)
            foreach (var row in LedgerReader.Managed(LedgerPath).Where(r => r.State == "Active"))
                Assert.True(Emulator.State.AllTokens.Any(t => t.Id == row.TokenId), "registry says Active for a token that is gone: " + context);
        if (rescued.Count > 0 && fault != IssuanceFault.LedgerFails)
            Assert.True(ledger.Any(e => e.Action == "rescue"), "a value was rescued with no rescue entry: " + context);
        if (fault is IssuanceFault.Api5xx or IssuanceFault.Reset)
        {
            Assert.NotEmpty(result.AllErrors);
            Assert.DoesNotContain(ledger, e => e.Outcome == "Succeeded" && e.Action is "roll" or "reissue" or "mint" or "store");
        }
        if (fault == IssuanceFault.RateLimit)
        {
            result.AssertNoErrors();
            Assert.True(delivered, "a 429 with Retry-After is waited out: " + context);
        }

        // ---- no secret anywhere ----
        var secrets = candidates.Append(oldValue).OfType<string>().Distinct().ToArray();
        SecretAssert.NotLeaked(result, secrets);
        SecretAssert.NotLeaked(cleanup, secrets);
        foreach (var value in secrets) Assert.DoesNotContain(ledger, e => e.ToString().Contains(value[5..]));
    }

    [Fact]
    public void A_reissue_killed_after_the_create_is_found_by_its_Pending_trace_and_revoked()
    {
        var (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "m-killed", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
        ConnectOrFail(extra: "-MaxRetryCount 0");
        FakeVault.Install(Ps);
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // creates the schema
        // The process "dies" right after Cloudflare's create answer: every ledger write after the Pending trace is lost,
        // and the flow's own rollback cannot reach Cloudflare either.
        Sql("CREATE TRIGGER lost_entries BEFORE INSERT ON ledger_entries WHEN NEW.outcome <> 'Pending' BEGIN SELECT RAISE(ABORT, 'killed'); END;" +
            "CREATE TRIGGER lost_rows BEFORE INSERT ON managed_tokens BEGIN SELECT RAISE(ABORT, 'killed'); END;");
        FakeVault.FailNextWrites(Ps, -1);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/tokens/" });
        Ps.Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault {Vault} -Confirm:$false");
        Assert.Contains(Emulator.State.AllTokens, t => t.Name == "m-killed-reissued");
        var pending = Assert.Single(Ledger());
        Assert.Equal("Repair/reissue/Pending", $"{pending.Kind}/{pending.Action}/{pending.Outcome}");
        Assert.Null(pending.TokenId);

        Sql("DROP TRIGGER lost_entries; DROP TRIGGER lost_rows;");
        Emulator.Faults.Clear();
        Assert.Empty(Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -PassThru").Output); // younger than the orphan age: maybe still running
        var result = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0 -PassThru");
        result.AssertNoErrors();
        Assert.Equal("m-killed-reissued", (string)((dynamic)result.Output.Single()).Name);
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name == "m-killed-reissued");
        Assert.True(Emulator.State.IsValueLive(oldValue)); // the old token is not the flow's to touch
        Assert.Contains(Ledger(), e => e.Kind == "Cleanup" && e.Action == "revoke" && e.Outcome == "Succeeded" && e.TokenName == "m-killed-reissued");
        Emulator.ClearRequests();
        Assert.Empty(Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0 -PassThru").Output);
        Assert.DoesNotContain(Emulator.Requests, r => r.Method == "DELETE");
    }

    private PsResult RunAndStop(string command, string issueMethod, string issuePath)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(command);
        var output = new PSDataCollection<PSObject>();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        var watch = Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == issueMethod && r.Path.Contains(issuePath)) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(900); // issued, recorded: inside the blocking Set-Secret
        ps.Stop();
        Assert.True(async.IsCompleted);
        return PsResult.Collect(ps, output, Ps.Host.Text);
    }

    private static string? ValueOf(object? target)
    {
        if (target is PSObject pso) target = pso.BaseObject;
        if (target == null) return null;
        var property = target.GetType().GetProperty("Value");
        return property?.GetValue(target) is SecureString s ? Plain.Of(s) : null;
    }

    private IReadOnlyList<LedgerRow> Ledger() => LedgerReader.Entries(LedgerPath);

    private List<string> Rescued()
    {
        var values = new List<string>();
        if (Ps.Get("CfRescuedCredentials") is System.Collections.IEnumerable rescued)
            foreach (var credential in rescued) values.Add(Plain.Of(((dynamic)credential).Value));
        return values;
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
