using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Every Secrets Store command, and the secrets-store destination, with -Verbose -Debug on success, refusal and fault
/// paths: no secret value may appear in any stream, rendered view, error, ledger row or request log. Each command must
/// first do what it is there for (succeed, or fail with the intended ErrorId), or the check proves nothing.
/// </summary>
public class SecretsStoreSecretLeakTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public void No_Secrets_Store_command_leaks_a_value()
    {
        var (rollId, rollOld) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "ss-roll", [Emulator.State.PermissionGroupId("DNS Read")]);
        var (repairId, repairOld) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "ss-repair", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
        ConnectOrFail(extra: "-MaxRetryCount 1");
        var plain = new List<string> { AdminToken, rollOld, repairOld, "first-VALUE-9f8e7d", "csv-VALUE-a1b2c3", "csv-VALUE-d4e5f6", "rotated-VALUE-0a0b0c" };
        Ps.Set("v1", PsSession.Secure(plain[3]));
        Ps.Set("v2", PsSession.Secure(plain[6]));
        Ps.Set("rows", new[]
        {
            new System.Management.Automation.PSObject(new { Name = "CSV_ONE", Value = plain[4] }),
            new System.Management.Automation.PSObject(new { Name = "CSV_TWO", Value = plain[5] }),
        });

        var results = new List<PsResult>();
        void Run(string script, int minOutput = 1, string? failsWith = null)
        {
            var result = Ps.Run(Loud + script + " -Verbose -Debug");
            if (failsWith == null) result.AssertSucceeded(script, minOutput);
            else result.AssertFailedWith(script, failsWith);
            results.Add(result);
            foreach (var o in result.Output)
                if (o.Properties["Value"]?.Value is System.Security.SecureString s) plain.Add(Plain.Of(s));
            foreach (var e in result.AllErrors)
                if (e.TargetObject?.GetType().GetProperty("Value")?.GetValue(e.TargetObject) is System.Security.SecureString s) plain.Add(Plain.Of(s));
        }

        Run("Get-CfSecretsStore");
        Run("Set-CfSecretsStoreSecret -Store default_secrets_store -Name FIRST -Value $v1 -Scope workers -Comment 'leak test' -PassThru -Confirm:$false");
        Run("$rows | Set-CfSecretsStoreSecret -Store default_secrets_store -PassThru -Confirm:$false", minOutput: 2);
        Run("Set-CfSecretsStoreSecret -Store default_secrets_store -Name FIRST -Value $v2 -PassThru -Confirm:$false");
        Run("Set-CfSecretsStoreSecret -Store default_secrets_store -Name FIRST -Value $v2 -WhatIf", minOutput: 0);
        Run("Set-CfSecretsStoreSecret -Store default_secrets_store -Name 'bad name' -Value $v1", failsWith: "InvalidSecretName");
        Run("Set-CfSecretsStoreSecret -Store nope -Name FIRST -Value $v1", failsWith: "SecretsStoreNotFound");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = -1, Method = "PATCH", PathContains = "/secrets_store/" });
        Run("Set-CfSecretsStoreSecret -Store default_secrets_store -Name FIRST -Value $v1 -Confirm:$false", failsWith: "ApiUnavailable");
        Run($"Invoke-CfTokenRoll -Id {rollId} -SecretsStore default_secrets_store -SecretsStoreSecretName FIRST -Confirm:$false", failsWith: "DestinationWriteFailed");
        Emulator.Faults.Clear();
        Run("Get-CfSecretsStoreSecret -Store default_secrets_store");
        Run("Get-CfSecretsStoreSecret -Name 'CSV*'", minOutput: 2);
        Run($"Invoke-CfTokenRoll -Id {rollId} -SecretsStore default_secrets_store -Confirm:$false");
        Run("New-CfManagedToken -Name ss-managed -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -SecretsStore default_secrets_store -Confirm:$false");
        Run($"Repair-CfToken -Id {repairId} -RequiredPermissionGroup 'D1 Read' -Reissue -SecretsStore default_secrets_store -SecretsStoreSecretName REISSUED -PassThru -Confirm:$false");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Times = -1, Method = "POST", PathContains = "/secrets_store/" });
        Run("New-CfManagedToken -Name ss-managed-fail -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -SecretsStore default_secrets_store -Confirm:$false", failsWith: "ManagedTokenRolledBack");
        Emulator.Faults.Clear();
        Run("Get-CfSecretsStoreSecret -Store default_secrets_store -Name 'CSV*' | Remove-CfSecretsStoreSecret -Confirm:$false", minOutput: 0);
        Run("Remove-CfSecretsStoreSecret -Store default_secrets_store -Name CSV_ONE -Confirm:$false", failsWith: "SecretsStoreSecretNotFound");
        var rendered = Ps.Render("Get-CfSecretsStoreSecret -Store default_secrets_store; Get-CfSecretsStore; Get-CfLedger");
        Assert.Contains("REISSUED", rendered); // the views rendered real rows, so the check below reads real text
        Assert.Contains("secrets-store:default_secrets_store", rendered + string.Join(" ", LedgerReader.Entries(LedgerPath).Select(e => e.ToString())));
        results.Add(PsResult.Rendered(rendered));

        foreach (var name in Emulator.State.SecretsStoreSecretNames("default_secrets_store"))
            plain.Add(Emulator.State.SecretsStoreSecretValue("default_secrets_store", name)!);
        Assert.Contains(plain[6], plain.Skip(7)); // FIRST still holds the rotated value: the set really happened
        Assert.True(Emulator.State.SecretsStoreSecretNames("default_secrets_store").Count >= 3);
        var secrets = plain.Distinct().ToArray();
        foreach (var result in results) SecretAssert.NotLeaked(result, secrets);
        var ledger = LedgerReader.Entries(LedgerPath).Select(e => e.ToString()).ToList();
        Assert.True(ledger.Count >= 6, "the run should have written ledger rows: " + ledger.Count);
        foreach (var value in secrets) Assert.DoesNotContain(ledger, row => row.Contains(value.Length > 5 ? value[5..] : value));
        foreach (var request in Emulator.Requests.Where(r => r.Path.Contains("/secrets_store/")))
            Assert.DoesNotContain(secrets, s => request.Body.Contains(s.Length > 5 ? s[5..] : s));
    }
}
