using System.Security;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// The leak assertion over every Access service token command, run with -Verbose -Debug: each run must succeed (and
/// emit what it should) first, so a command that failed early cannot pass by leaking nothing; then no client secret
/// (current, previous, delivered or returned) appears in any stream, host text, error or emitted object, or the ledger.
/// </summary>
public class AccessSecretLeakTests : CmdletTestBase
{
    private const string Vault = "Ops";
    private const string Script = "gateway";

    [Fact]
    public void No_Access_command_leaks_a_client_secret_with_Verbose_and_Debug()
    {
        Emulator.State.AddWorkerScript(Script);
        ConnectOrFail();
        FakeVault.Install(Ps);
        var secrets = new List<string>();
        var runs = new List<(string Script, PsResult Result)>();
        PsResult Run(string script, int minOutput)
        {
            var result = Ps.Run(script + " -Verbose -Debug");
            result.AssertSucceeded(script, minOutput);
            runs.Add((script, result));
            return result;
        }

        var returned = Run("New-CfAccessServiceToken -Name leak-returned -Duration 48h -Confirm:$false", 1).Access().Single();
        secrets.Add(Plain.Of((SecureString)returned.ClientSecret!));
        var delivered = Run($"New-CfAccessServiceToken -Name leak-delivered -Vault {Vault} -WorkerScript {Script} -Confirm:$false", 1).Access().Single();
        secrets.Add(FakeVault.Value(Ps, $"{Vault}/leak-delivered")!);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(delivered.ClientId, secrets[^1]));

        Run("Get-CfAccessServiceToken", 2);
        Run("Get-CfAccessServiceToken -Name 'leak-*' -ExpiringWithin (New-TimeSpan -Days 3)", 1);
        Run($"Get-CfAccessServiceToken -Id {returned.Id}", 1);
        Run("Set-CfAccessServiceToken -Name leak-returned -Duration 72h -Confirm:$false", 1);
        Run($"Update-CfAccessServiceToken -Id {returned.Id} -Confirm:$false", 1);

        var rotatedReturned = Run($"Invoke-CfAccessServiceTokenRotate -Id {returned.Id} -GracePeriod (New-TimeSpan -Hours 1) -Confirm:$false", 1).Access().Single();
        secrets.Add(Plain.Of((SecureString)rotatedReturned.ClientSecret!));
        Run($"Get-CfAccessServiceToken -Name leak-delivered | Invoke-CfAccessServiceTokenRotate -Vault {Vault} -WorkerScript {Script} -Confirm:$false", 1);
        secrets.Add(FakeVault.Value(Ps, $"{Vault}/leak-delivered")!);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(delivered.ClientId, secrets[^1]));
        Assert.Equal(secrets[^1], Emulator.State.WorkerSecretText(Script, "LEAK_DELIVERED_CLIENT_SECRET"));

        // The table views render the objects too: no secret there either.
        var table = Ps.Run("Get-CfAccessServiceToken -Verbose -Debug | Out-String -Width 300");
        table.AssertSucceeded("Get-CfAccessServiceToken | Out-String");
        Assert.Contains("leak-delivered", table.Output.Single().ToString());
        runs.Add(("Get-CfAccessServiceToken | Out-String", table));
        var removed = Ps.Run("Get-CfAccessServiceToken -Name 'leak-*' | Remove-CfAccessServiceToken -Confirm:$false -Verbose -Debug");
        removed.AssertNoErrors();
        Assert.NotEmpty(removed.Verbose);
        Assert.Empty(Emulator.State.AccessServiceTokenNames);
        runs.Add(("Remove-CfAccessServiceToken", removed));

        Assert.Equal(4, secrets.Distinct().Count());
        foreach (var (script, result) in runs)
        {
            Assert.True(result.Debug.Count + result.Verbose.Count > 0, $"{script}: -Verbose -Debug produced nothing to check");
            SecretAssert.NotLeaked(result, secrets.ToArray());
        }
        var ledger = LedgerReader.Entries(LedgerPath);
        Assert.NotEmpty(ledger);
        foreach (var secret in secrets) Assert.DoesNotContain(ledger, e => e.ToString().Contains(secret));
        foreach (var request in Emulator.Requests) foreach (var secret in secrets) Assert.DoesNotContain(secret, request.Body);
    }
}
