using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

public enum AccessFlow { Create, Rotate }

public enum AccessFault { Api5xx, Reset, AnswerLost, RateLimit, VaultFails, WorkerPutFails, LedgerFails, CtrlC, DeleteFails }

/// <summary>
/// Issue 10, "must be proven": New-CfAccessServiceToken and Invoke-CfAccessServiceTokenRotate, each delivering to a
/// vault and a Worker (client id and secret), under every fault of the issuance sequence. Whatever happened:
/// 0 orphaned service tokens (a created token is delivered everywhere and recorded, or it is gone, or, when even its
/// deletion failed, its live secret is in the error and the ledger says rollback Failed),
/// 0 lost secrets (a live new secret is delivered, in an error's TargetObject or in $CfRescuedCredentials),
/// a consistent ledger (nothing Succeeded that did not happen; a rescue entry for a rescued secret),
/// and no secret in any stream or in the ledger.
/// </summary>
public class AccessIssuanceFaultMatrixTests : CmdletTestBase
{
    private const string Vault = "Ops";
    private const string Script = "gateway";

    [Theory]
    [InlineData(AccessFlow.Create, AccessFault.Api5xx)]
    [InlineData(AccessFlow.Create, AccessFault.Reset)]
    [InlineData(AccessFlow.Create, AccessFault.AnswerLost)]
    [InlineData(AccessFlow.Create, AccessFault.RateLimit)]
    [InlineData(AccessFlow.Create, AccessFault.VaultFails)]
    [InlineData(AccessFlow.Create, AccessFault.WorkerPutFails)]
    [InlineData(AccessFlow.Create, AccessFault.LedgerFails)]
    [InlineData(AccessFlow.Create, AccessFault.CtrlC)]
    [InlineData(AccessFlow.Create, AccessFault.DeleteFails)]
    [InlineData(AccessFlow.Rotate, AccessFault.Api5xx)]
    [InlineData(AccessFlow.Rotate, AccessFault.Reset)]
    [InlineData(AccessFlow.Rotate, AccessFault.RateLimit)]
    [InlineData(AccessFlow.Rotate, AccessFault.VaultFails)]
    [InlineData(AccessFlow.Rotate, AccessFault.WorkerPutFails)]
    [InlineData(AccessFlow.Rotate, AccessFault.LedgerFails)]
    [InlineData(AccessFlow.Rotate, AccessFault.CtrlC)]
    // A rotate is never withdrawn (no compensating delete): DeleteFails does not apply. A rotate whose answer is lost
    // is its own test below: its secret is gone with the answer by construction.
    public void Every_flow_under_every_fault_keeps_the_invariants(AccessFlow flow, AccessFault fault)
    {
        Emulator.State.AddWorkerScript(Script);
        ConnectOrFail(extra: fault is AccessFault.Api5xx or AccessFault.Reset or AccessFault.WorkerPutFails or AccessFault.DeleteFails ? "-MaxRetryCount 1" : "");
        FakeVault.Install(Ps);
        Ps.Run("Remove-CfExpiredManagedToken").AssertNoErrors(); // creates the ledger schema (for the trigger)

        var name = flow == AccessFlow.Create ? "m-create" : "m-rotate";
        string? oldSecret = null, clientId = null;
        if (flow == AccessFlow.Rotate)
        {
            var created = Ps.Run($"New-CfAccessServiceToken -Name {name} -AsPlainText -Confirm:$false").Access().Single();
            (oldSecret, clientId) = ((string)created.ClientSecret!, created.ClientId);
        }
        var command = flow == AccessFlow.Create
            ? $"New-CfAccessServiceToken -Name {name} -Duration 24h -Vault {Vault} -WorkerScript {Script} -Confirm:$false -Verbose"
            : $"Invoke-CfAccessServiceTokenRotate -Name {name} -Vault {Vault} -WorkerScript {Script} -Confirm:$false -Verbose";
        var issuePath = flow == AccessFlow.Create ? "/access/service_tokens" : "/rotate";
        switch (fault)
        {
            case AccessFault.Api5xx:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "POST", PathContains = issuePath });
                break;
            case AccessFault.Reset:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Reset, Times = -1, Method = "POST", PathContains = issuePath });
                break;
            case AccessFault.AnswerLost:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.ResetAfterProcessing, Times = 1, Method = "POST", PathContains = issuePath });
                break;
            case AccessFault.RateLimit:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 1, Times = 1, Method = "POST", PathContains = issuePath });
                break;
            case AccessFault.VaultFails:
                FakeVault.FailNextWrites(Ps, -1);
                break;
            case AccessFault.WorkerPutFails:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = $"/workers/scripts/{Script}/secrets" });
                break;
            case AccessFault.LedgerFails:
                Sql("CREATE TRIGGER lost_entries BEFORE INSERT ON ledger_entries WHEN NEW.outcome <> 'Pending' BEGIN SELECT RAISE(ABORT, 'ledger broken'); END;");
                break;
            case AccessFault.CtrlC:
                FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(3));
                break;
            case AccessFault.DeleteFails:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = $"/workers/scripts/{Script}/secrets" });
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/access/service_tokens/" });
                break;
        }

        // ---- act ----
        var result = fault == AccessFault.CtrlC ? RunAndStop(command, issuePath) : Ps.Run(command);

        // ---- the faults go away ----
        Emulator.Faults.Clear();
        if (fault == AccessFault.LedgerFails) Sql("DROP TRIGGER lost_entries;");
        FakeVault.FailNextWrites(Ps, 0);
        FakeVault.DelayWrites(Ps, TimeSpan.Zero);

        var existing = Ps.Run($"Get-CfAccessServiceToken -Name '{name}*'").Access();
        Assert.True(existing.Count <= 1, "more than one service token was created");
        clientId ??= existing.SingleOrDefault()?.ClientId;
        var vaultValue = FakeVault.Contents(Ps).ContainsKey($"{Vault}/{name}") ? FakeVault.Value(Ps, $"{Vault}/{name}") : null;
        var stem = name.ToUpperInvariant().Replace('-', '_');
        var workerId = Emulator.State.WorkerSecretNames(Script).Contains(stem + "_CLIENT_ID") ? Emulator.State.WorkerSecretText(Script, stem + "_CLIENT_ID") : null;
        var workerSecret = Emulator.State.WorkerSecretNames(Script).Contains(stem + "_CLIENT_SECRET") ? Emulator.State.WorkerSecretText(Script, stem + "_CLIENT_SECRET") : null;
        var inErrors = result.AllErrors.Select(e => SecretOf(e.TargetObject)).OfType<string>().ToList();
        var rescued = Rescued();
        var candidates = new[] { vaultValue, workerSecret }.OfType<string>().Concat(inErrors).Concat(rescued).Distinct().ToList();
        bool Live(string? secret) => clientId != null && secret != null && Emulator.State.IsAccessServiceTokenSecretLive(clientId, secret);
        var liveNew = candidates.Where(v => v != oldSecret && Live(v)).ToList();
        var delivered = Live(vaultValue) && vaultValue != oldSecret && vaultValue == workerSecret && workerId == clientId;
        var ledger = LedgerReader.Entries(LedgerPath);
        var context = $"{flow}/{fault}: errors [{string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId + " " + e.Exception?.Message))}], " +
                      $"warnings [{string.Join(" | ", result.Warnings)}], terminating {result.Terminating?.Message}, output {result.Output.Count} {string.Join(",", result.Output.Select(o => o?.ToString()))} verbose [{string.Join(" | ", result.Verbose.Select(v => v.Message))}], vault {vaultValue != null}/{Live(vaultValue)} worker {workerId != null}/{workerSecret != null}/{Live(workerSecret)}, " +
                      $"ledger [{string.Join(" ; ", ledger.Select(e => $"{e.Kind}/{e.Action}/{e.Outcome}"))}], tokens {existing.Count}, delivered {delivered}";

        if (flow == AccessFlow.Create)
        {
            // ---- 0 orphaned service tokens, 0 lost secrets ----
            if (existing.Count == 1 && !delivered)
            {
                Assert.True(fault == AccessFault.DeleteFails, "an undelivered service token survived: " + context);
                Assert.True(inErrors.Any(Live) || rescued.Any(Live), "an undelivered service token whose secret is nowhere: " + context);
                Assert.Contains(ledger, e => e.Action == "rollback" && e.Outcome == "Failed" && e.TokenId == existing[0].Id);
            }
            if (delivered)
            {
                Assert.Contains(ledger, e => e.Action == "create" && e.Outcome == "Succeeded" && e.TokenId == existing[0].Id);
                Assert.Equal(3, ledger.Count(e => e.Action == "store" && e.Outcome == "Succeeded" && e.TokenId == existing[0].Id));
            }
            else
            {
                Assert.DoesNotContain(ledger, e => e.Action == "store" && e.Outcome == "Succeeded" &&
                    !ledger.Any(u => u.Action == "unstore" && u.Destination == e.Destination && u.Sequence > e.Sequence));
                if (fault == AccessFault.CtrlC) Assert.Contains(ledger, e => e.Action == "rollback" && e.Outcome == "RolledBack");
                else Assert.NotEmpty(result.AllErrors); // once stopped, nothing can be written: the ledger says it
            }
            if (fault is AccessFault.Api5xx or AccessFault.Reset or AccessFault.AnswerLost)
            {
                Assert.Empty(existing);
                Assert.DoesNotContain(ledger, e => e.Outcome == "Succeeded" && e.Action is "create" or "store");
            }
            if (fault == AccessFault.AnswerLost)
            {
                // The create happened and its answer was lost: found by name, deleted, said so.
                Assert.Contains(ledger, e => e.Action == "rollback" && e.Outcome == "RolledBack");
                Assert.Contains("The create had happened", result.SingleError().ErrorDetails.Message);
            }
        }
        else
        {
            // ---- a rotate is never withdrawn: the new secret is delivered or kept ----
            var rotated = !Live(oldSecret);
            if (fault is AccessFault.Api5xx or AccessFault.Reset)
            {
                Assert.False(rotated, "a refused rotate must leave the old secret working: " + context);
                Assert.DoesNotContain(ledger, e => e.Action is "rotate" or "store" && e.Outcome == "Succeeded");
                Assert.NotEmpty(result.AllErrors);
            }
            else
            {
                Assert.True(rotated, "without a grace period the old secret dies at once: " + context);
                Assert.True(liveNew.Count >= 1, "the rotated secret is lost: " + context);
            }
            if (fault is AccessFault.VaultFails or AccessFault.WorkerPutFails)
            {
                var error = result.SingleError();
                Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
                Assert.True(Live(SecretOf(error.TargetObject)), "the kept secret must be in the error: " + context);
                Assert.Contains(ledger, e => e.Action == "store" && e.Outcome == "Failed");
            }
            if (fault == AccessFault.LedgerFails) Assert.True(delivered, "a broken ledger must not stop delivery of a rotated secret: " + context);
        }

        if (fault == AccessFault.RateLimit)
        {
            result.AssertNoErrors();
            Assert.True(delivered, "a 429 with Retry-After is waited out: " + context);
        }
        if (rescued.Count > 0 && fault != AccessFault.LedgerFails)
            Assert.True(ledger.Any(e => e.Action == "rescue"), "a secret was rescued with no rescue entry: " + context);
        if (fault == AccessFault.CtrlC)
        {
            Assert.True(flow == AccessFlow.Rotate ? liveNew.Count >= 1 : existing.Count == 0, "Ctrl+C: " + context);
            Assert.Empty(result.Output);
        }

        // ---- no secret anywhere ----
        var secrets = candidates.Append(oldSecret).OfType<string>().Distinct().ToArray();
        SecretAssert.NotLeaked(result, secrets);
        foreach (var value in secrets) Assert.DoesNotContain(ledger, e => e.ToString().Contains(value));
    }

    [Fact]
    public void A_rotate_whose_answer_is_lost_says_it_may_have_happened_and_a_second_rotate_delivers_a_working_secret()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var created = Ps.Run($"New-CfAccessServiceToken -Name lost -Vault {Vault} -Confirm:$false").Access().Single();
        var old = FakeVault.Value(Ps, $"{Vault}/lost")!;
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.ResetAfterProcessing, Times = 1, Method = "POST", PathContains = "/rotate" });
        var lost = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {created.Id} -Vault {Vault} -Confirm:$false");
        var error = lost.SingleError();
        Assert.StartsWith("ApiConnectionFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("may have happened", error.ErrorDetails.Message);
        Assert.Contains("Rotate again", error.ErrorDetails.RecommendedAction);
        Assert.Single(Emulator.Requests, r => r.Path.EndsWith("/rotate")); // never retried
        Assert.False(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, old));
        Assert.Equal(old, FakeVault.Value(Ps, $"{Vault}/lost")); // nothing was written

        Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {created.Id} -Vault {Vault} -Confirm:$false").AssertNoErrors();
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, FakeVault.Value(Ps, $"{Vault}/lost")!));
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "rotate" && e.Outcome == "Failed");
    }

    [Fact]
    public void A_rotate_with_a_grace_period_that_cannot_be_delivered_keeps_the_new_secret_and_the_old_one_still_works()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var created = Ps.Run($"New-CfAccessServiceToken -Name graceful -Vault {Vault} -Confirm:$false").Access().Single();
        var old = FakeVault.Value(Ps, $"{Vault}/graceful")!;
        FakeVault.FailNextWrites(Ps, -1);
        var result = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {created.Id} -Vault {Vault} -GracePeriod (New-TimeSpan -Hours 1) -Confirm:$false");
        var error = result.SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("keeps working until", error.ErrorDetails.Message);
        var kept = SecretOf(error.TargetObject)!;
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, kept));
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, old), "within the grace window the old secret still works");
        SecretAssert.NotLeaked(result, kept, old);
    }

    private PsResult RunAndStop(string command, string issuePath)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(command);
        var output = new PSDataCollection<PSObject>();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        var watch = Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith(issuePath)) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(900); // issued, recorded: inside the blocking Set-Secret
        var stopWatch = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(stopWatch.Elapsed < TimeSpan.FromSeconds(10), $"Stop took {stopWatch.Elapsed}");
        Assert.True(async.IsCompleted);
        return PsResult.Collect(ps, output, Ps.Host.Text);
    }

    /// <summary>The client secret a CfAccessServiceTokenCredential (an error's TargetObject, a rescued one) carries.</summary>
    private static string? SecretOf(object? target)
    {
        if (target is PSObject pso) target = pso.BaseObject;
        var property = target?.GetType().GetProperty("ClientSecret");
        return property?.GetValue(target) is SecureString s ? Plain.Of(s) : null;
    }

    private List<string> Rescued()
    {
        var values = new List<string>();
        if (Ps.Get("CfRescuedCredentials") is System.Collections.IEnumerable rescued)
            foreach (var credential in rescued)
                if (SecretOf(credential) is { } secret) values.Add(secret);
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
