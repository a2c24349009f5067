using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public enum StoreFault { None, StoreWriteFails, StoreWriteFailsOnce, StoreReset, StoreMissing, LedgerFails, RevokeFails, CtrlC }

/// <summary>
/// The secrets-store:&lt;store&gt;/&lt;name&gt; destination under the faults of IssuanceFaultMatrixTests, for every issuing
/// flow (Invoke-CfTokenRoll, Repair-CfToken -Reissue, New-CfManagedToken). Whatever happened, after the flow (and one
/// `Remove-CfExpiredManagedToken -IncludeOrphaned` once the faults are gone): no orphaned token, no lost value, no
/// secret left in the store holding a dead value (a withdrawn flow removes what it stored), a ledger that says
/// Succeeded only for what happened and names the destination as secrets-store:..., and no value in any stream.
/// </summary>
public class SecretsStoreDestinationTests : CmdletTestBase
{
    private const string Store = "default_secrets_store";
    private const string Stale = "stale-value-before-the-roll";

    [Theory]
    [InlineData(IssuanceFlow.Roll, StoreFault.None)]
    [InlineData(IssuanceFlow.Roll, StoreFault.StoreWriteFails)]
    [InlineData(IssuanceFlow.Roll, StoreFault.StoreWriteFailsOnce)]
    [InlineData(IssuanceFlow.Roll, StoreFault.StoreReset)]
    [InlineData(IssuanceFlow.Roll, StoreFault.StoreMissing)]
    [InlineData(IssuanceFlow.Roll, StoreFault.CtrlC)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.None)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.StoreWriteFails)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.StoreWriteFailsOnce)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.StoreMissing)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.RevokeFails)]
    [InlineData(IssuanceFlow.Reissue, StoreFault.CtrlC)]
    [InlineData(IssuanceFlow.Managed, StoreFault.None)]
    [InlineData(IssuanceFlow.Managed, StoreFault.StoreWriteFails)]
    [InlineData(IssuanceFlow.Managed, StoreFault.StoreWriteFailsOnce)]
    [InlineData(IssuanceFlow.Managed, StoreFault.StoreReset)]
    [InlineData(IssuanceFlow.Managed, StoreFault.StoreMissing)]
    [InlineData(IssuanceFlow.Managed, StoreFault.LedgerFails)]
    [InlineData(IssuanceFlow.Managed, StoreFault.RevokeFails)]
    [InlineData(IssuanceFlow.Managed, StoreFault.CtrlC)]
    public void Every_flow_under_every_store_fault_keeps_the_invariants(IssuanceFlow flow, StoreFault fault)
    {
        // ---- arrange ----
        var store = fault == StoreFault.StoreMissing ? "no_such_store" : Store;
        string command, secretName, createdName;
        string? oldId = null, oldValue = null;
        switch (flow)
        {
            case IssuanceFlow.Roll:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "s-roll", [Emulator.State.PermissionGroupId("DNS Read")]);
                command = $"Invoke-CfTokenRoll -Id {oldId} -SecretsStore {store} -Confirm:$false -Verbose";
                secretName = "S_ROLL";
                createdName = "s-roll";
                break;
            case IssuanceFlow.Reissue:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "s-reissue", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
                command = $"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -SecretsStore {store} -SecretsStoreSecretName REISSUED -Confirm:$false -Verbose";
                secretName = "REISSUED";
                createdName = "s-reissue-reissued";
                break;
            default:
                command = $"New-CfManagedToken -Name s-managed -Purpose 'store matrix' -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 8:00:00 -SecretsStore {store} -Confirm:$false -Verbose";
                secretName = "S_MANAGED";
                createdName = "s-managed";
                break;
        }
        ConnectOrFail(extra: "-MaxRetryCount 1");
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // creates the ledger schema (for the trigger)
        if (flow == IssuanceFlow.Roll)
        {
            // The roll overwrites an existing secret (the PATCH path); the others create one (the POST path).
            Ps.Set("CfStale", PsSession.Secure(Stale));
            Ps.Run($"Set-CfSecretsStoreSecret -Store {Store} -Name {secretName} -Value $CfStale -Confirm:$false").AssertNoErrors();
        }

        var issueMethod = flow == IssuanceFlow.Roll ? "PUT" : "POST";
        var issuePath = flow == IssuanceFlow.Roll ? "/value" : "/user/tokens";
        void OnStoreWrites(FaultRule rule)
        {
            foreach (var method in new[] { "POST", "PATCH" })
                Emulator.Faults.Add(new FaultRule
                {
                    Kind = rule.Kind, StatusCode = rule.StatusCode, Times = rule.Times, Delay = rule.Delay, Method = method, PathContains = "/secrets_store/",
                });
        }
        switch (fault)
        {
            case StoreFault.StoreWriteFails:
                OnStoreWrites(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = -1 });
                break;
            case StoreFault.StoreWriteFailsOnce:
                OnStoreWrites(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = 1 });
                break;
            case StoreFault.StoreReset:
                OnStoreWrites(new FaultRule { Kind = FaultKind.Reset, Times = 2 });
                break;
            case StoreFault.LedgerFails:
                Sql("CREATE TRIGGER lost_entries BEFORE INSERT ON ledger_entries WHEN NEW.action = 'activate' BEGIN SELECT RAISE(ABORT, 'ledger broken'); END;" +
                    "CREATE TRIGGER lost_rows BEFORE UPDATE ON managed_tokens WHEN NEW.state = 'Active' BEGIN SELECT RAISE(ABORT, 'ledger broken'); END;");
                break;
            case StoreFault.RevokeFails:
                OnStoreWrites(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = -1 });
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/tokens/" });
                break;
            case StoreFault.CtrlC:
                OnStoreWrites(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(3), Times = 1 });
                break;
        }
        Emulator.ClearRequests();

        // ---- act ----
        var result = fault == StoreFault.CtrlC ? RunAndStop(command, issueMethod, issuePath) : Ps.Run(command);

        // ---- the faults go away; cleanup runs once ----
        Emulator.Faults.Clear();
        if (fault == StoreFault.LedgerFails) Sql("DROP TRIGGER lost_entries; DROP TRIGGER lost_rows;");
        var stored = Emulator.State.SecretsStoreSecretValue(Store, secretName);
        var candidates = new List<string>();
        if (stored != null && stored != Stale) candidates.Add(stored);
        var rescued = Rescued();
        candidates.AddRange(rescued);
        candidates.AddRange(result.AllErrors.Select(e => e.TargetObject).Select(ValueOf).OfType<string>());
        var liveNew = candidates.Where(v => v != oldValue && Emulator.State.IsValueLive(v)).Distinct().ToList();
        var createdAfterFlow = flow == IssuanceFlow.Roll ? [] : Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();
        var delivered = stored != null && stored != Stale && stored != oldValue && Emulator.State.IsValueLive(stored);

        var cleanup = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0");
        cleanup.AssertNoErrors();
        var ledger = LedgerReader.Entries(LedgerPath);
        var context = $"{flow}/{fault}: errors [{string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId))}], ledger [{string.Join(" ; ", ledger.Select(e => $"{e.Kind}/{e.Action}/{e.Outcome}"))}]";
        var description = $"secrets-store:{store}/{secretName}";

        // ---- 0 lost values ----
        if (flow == IssuanceFlow.Roll)
            Assert.True(Emulator.State.IsValueLive(oldValue!) || liveNew.Count >= 1, "the rolled value is lost: " + context);
        else
        {
            Assert.True(createdAfterFlow.Count <= 1, "more than one token was created: " + context);
            if (createdAfterFlow.Count == 1) Assert.True(liveNew.Count >= 1, "a live created token whose value is nowhere: " + context);
        }

        // ---- 0 orphans: no undelivered token survives cleanup; no dead value is left in the store ----
        if (flow != IssuanceFlow.Roll)
        {
            var left = Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();
            if (!delivered) Assert.True(left.Count == 0, "an undelivered created token survived cleanup (orphan): " + context);
            else Assert.Single(left);
        }
        var afterCleanup = Emulator.State.SecretsStoreSecretValue(Store, secretName);
        if (afterCleanup != null && afterCleanup != Stale)
            Assert.True(Emulator.State.IsValueLive(afterCleanup), "the store holds a dead value (a withdrawn flow left its secret behind): " + context);
        if (flow == IssuanceFlow.Managed && !delivered)
            Assert.Null(afterCleanup);

        // ---- a consistent ledger ----
        var storeEntries = ledger.Where(e => e.Action == "store" && e.Outcome == "Succeeded").ToList();
        if (delivered)
            Assert.True(fault == StoreFault.LedgerFails || storeEntries.Any(e => e.ToString().Contains(description)), "delivered but the store is not recorded with its destination: " + context);
        else
        {
            foreach (var entry in storeEntries)
                Assert.True(ledger.Any(e => e.Action == "unstore" && e.TokenId == entry.TokenId && e.Sequence > entry.Sequence), "a store Succeeded that is not in the store: " + context);
            Assert.DoesNotContain(ledger, e => e.Action == "activate" && e.Outcome == "Succeeded");
        }

        // ---- what each fault must lead to ----
        switch (fault)
        {
            case StoreFault.None:
            case StoreFault.StoreWriteFailsOnce:
            case StoreFault.StoreReset:
                result.AssertNoErrors();
                Assert.True(delivered, "a transient store failure is retried and the value delivered: " + context);
                Assert.Equal(1, Emulator.State.SecretsStoreSecretNames(Store).Count(n => n == secretName));
                break;
            case StoreFault.StoreWriteFails:
            case StoreFault.StoreMissing:
            case StoreFault.RevokeFails:
                Assert.False(delivered, context);
                Assert.NotEmpty(result.AllErrors);
                Assert.Contains(ledger, e => e.Action == "store" && e.Outcome == "Failed" && e.ToString().Contains(description));
                if (flow == IssuanceFlow.Roll) Assert.Equal(Stale, afterCleanup); // a roll cannot withdraw: the value is handed over, the old secret untouched
                if (fault == StoreFault.StoreMissing) Assert.DoesNotContain(Emulator.Requests, r => r.Method is "POST" or "PATCH" && r.Path.Contains("/secrets_store/"));
                break;
            case StoreFault.LedgerFails:
                Assert.False(delivered, "the activate step failed, so the managed token is withdrawn: " + context);
                Assert.Contains(Emulator.Requests, r => r.Method == "DELETE" && r.Path.Contains("/secrets_store/")); // the stored secret was removed again
                break;
        }

        // ---- no secret anywhere ----
        var secrets = candidates.Append(oldValue).Append(Stale).OfType<string>().Distinct().ToArray();
        SecretAssert.NotLeaked(result, secrets);
        SecretAssert.NotLeaked(cleanup, secrets);
        foreach (var value in secrets) Assert.DoesNotContain(ledger, e => e.ToString().Contains(value.Length > 5 ? value[5..] : value));
        foreach (var request in Emulator.Requests) Assert.DoesNotContain(secrets, s => request.Body.Contains(s.Length > 5 ? s[5..] : s));
    }

    [Fact]
    public void Remove_CfExpiredManagedToken_removes_an_expired_token_s_secret_from_the_store()
    {
        ConnectOrFail();
        Ps.Run("New-CfManagedToken -Name s-expiring -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -SecretsStore default_secrets_store -SecretsStoreSecretName EXPIRING -Confirm:$false")
            .AssertSucceeded("mint");
        Assert.NotNull(Emulator.State.SecretsStoreSecretValue(Store, "EXPIRING"));
        Thread.Sleep(3200); // expiry has second granularity: 2 s TTL is past only after 3 s
        Ps.Run("Remove-CfExpiredManagedToken -Confirm:$false").AssertNoErrors();
        Assert.Null(Emulator.State.SecretsStoreSecretValue(Store, "EXPIRING"));
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "unstore" && e.ToString().Contains("secrets-store:default_secrets_store/EXPIRING"));
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
        Thread.Sleep(900); // issued, recorded: inside the slow store write
        ps.Stop();
        Assert.True(async.IsCompleted);
        return PsResult.Collect(ps, output, Ps.Host.Text);
    }

    private static string? ValueOf(object? target)
    {
        if (target is PSObject pso) target = pso.BaseObject;
        if (target == null) return null;
        return target.GetType().GetProperty("Value")?.GetValue(target) is SecureString s ? Plain.Of(s) : null;
    }

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
