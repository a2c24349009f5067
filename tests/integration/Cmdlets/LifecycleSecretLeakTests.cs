using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Every lifecycle command, with -Verbose -Debug, on success, fault and rollback paths: no value they mint, roll,
/// store or receive may appear anywhere but inside a SecureString.
/// </summary>
public class LifecycleSecretLeakTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public void No_lifecycle_command_leaks_a_value()
    {
        var (rollId, rollOld) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "roll-me", [Emulator.State.PermissionGroupId("DNS Read")]);
        var (failId, failOld) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "roll-fail", [Emulator.State.PermissionGroupId("DNS Read")]);
        var (setId, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "set-me", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail(extra: "-MaxRetryCount 1"); // fault paths stay quick
        FakeVault.Install(Ps);

        var results = new List<PsResult>();
        var secrets = new List<string> { AdminToken, rollOld, failOld };
        // Each command must do what it is there for (succeed with output, or fail with the intended error) before its
        // streams count as leak-free: a command that failed at parameter binding leaks nothing and proves nothing.
        void Run(string script, int minOutput = 1, string? failsWith = null)
        {
            var result = Ps.Run(Loud + script);
            if (failsWith == null) result.AssertSucceeded(script, minOutput);
            else result.AssertFailedWith(script, failsWith);
            results.Add(result);
            foreach (var o in result.Output)
            {
                var value = o.Properties["Value"]?.Value;
                if (value is System.Security.SecureString) secrets.Add(Plain.Of(value));
            }
            foreach (var e in result.AllErrors)
                if (e.TargetObject is { } target && target.GetType().GetProperty("Value")?.GetValue(target) is System.Security.SecureString s) secrets.Add(Plain.Of(s));
        }

        Run("New-CfToken -Name leak-new -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 1:00:00 -Confirm:$false");
        Run("New-CfToken -Name leak-acct -PermissionGroup 'Workers Scripts Read' -Scope Account -Confirm:$false");
        Run($"Set-CfToken -Id {setId} -AddPermissionGroup 'Zone Read' -Zone raxx.app -NewName set-me-2 -PassThru -Confirm:$false");
        Run($"Invoke-CfTokenRoll -Id {rollId} -Vault Ops -Confirm:$false");
        Run($"Invoke-CfTokenRoll -Id {rollId} -WorkerScript api-worker -Confirm:$false");
        FakeVault.FailNextWrites(Ps, -1);
        Run($"Invoke-CfTokenRoll -Id {failId} -Vault Ops -Confirm:$false", failsWith: "DestinationWriteFailed");
        Run("New-CfManagedToken -Name leak-managed-fail -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault Ops -Confirm:$false", failsWith: "ManagedTokenRolledBack");
        FakeVault.FailNextWrites(Ps, 0);
        Run("New-CfManagedToken -Name leak-managed -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault Ops -Confirm:$false");
        Run("New-CfManagedToken -Name leak-caller -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Confirm:$false");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = -1, Method = "PUT", PathContains = "/secrets" });
        Run("New-CfManagedToken -Name leak-worker-fail -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -WorkerScript cron-worker -Confirm:$false", failsWith: "ManagedTokenRolledBack");
        Emulator.Faults.Clear();
        Thread.Sleep(2200);
        Run("Get-CfManagedToken -IncludeRemoved");
        Run("Remove-CfExpiredManagedToken -WhatIf", minOutput: 0);
        Run("Remove-CfExpiredManagedToken -PassThru");
        Run("Get-CfToken -Name 'leak-*' | Remove-CfToken -Confirm:$false", minOutput: 0);
        Run("Get-CfLedger");
        Run("Get-CfZone");
        var rendered = Ps.Render("Get-CfLedger; Get-CfManagedToken -IncludeRemoved");
        // Both views rendered (the ledger's rollback rows and the managed tokens by name), so the check below reads real text.
        Assert.Contains("RolledBack", rendered);
        Assert.Contains("leak-caller", rendered);
        results.Add(PsResult.Rendered(rendered));

        // Values only: the NAME__TOKEN_ID / __EXPIRES_AT / __SCOPES companions beside them hold metadata, which output may show.
        foreach (var key in FakeVault.Contents(Ps).Keys.Cast<string>().Where(k => !k.Contains("__", StringComparison.Ordinal))) secrets.Add(FakeVault.Value(Ps, key)!);
        foreach (var name in Emulator.State.WorkerSecretNames("api-worker")) secrets.Add(Emulator.State.WorkerSecretText("api-worker", name)!);
        Assert.True(secrets.Count >= 8, "the run should have produced several secret values to look for");
        foreach (var result in results) SecretAssert.NotLeaked(result, secrets.ToArray());
        // The ledger file as stored: every column of every row, and the managed-token registry.
        var stored = LedgerReader.Entries(LedgerPath).Select(e => e.ToString()).Concat(LedgerReader.Managed(LedgerPath).Select(m => m.ToString())).ToList();
        Assert.True(stored.Count >= 10, "the run should have written ledger rows: " + stored.Count);
        foreach (var row in stored)
            foreach (var s in secrets) Assert.DoesNotContain(s[5..], row);
    }
}
