using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// New-CfManagedToken -AccessServiceToken: purpose, TTL as the token's duration, ledger entries and a registry row
/// (scope AccessServiceToken), delivery to a vault (secret + ClientId metadata), cleanup by
/// Remove-CfExpiredManagedToken, and the rollback guarantees of a managed token under injected faults: nothing is
/// left at Cloudflare, in the vault or Active in the registry, and no secret shows anywhere.
/// </summary>
public class ManagedAccessServiceTokenTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; ";

    private string Origin(string hostAndPath) => new Uri(Emulator.AccessOriginUri, hostAndPath).ToString();

    [Fact]
    public void A_managed_Access_token_is_delivered_registered_works_and_is_cleaned_up_when_expired()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Emulator.State.AddAccessApplication("app.example.com"); // any valid service token

        var minted = Ps.Run($"{Loud}New-CfManagedToken -AccessServiceToken -Name ci-pull -Purpose 'registry pulls' -Ttl 0:00:03 -Vault Ops -Confirm:$false");
        minted.AssertSucceeded("New-CfManagedToken -AccessServiceToken");
        var managed = minted.Output[0].Properties;
        Assert.Equal("AccessServiceToken", managed["Kind"].Value);
        Assert.Equal("Active", managed["State"].Value);
        Assert.Null(managed["Value"].Value); // it went to the vault
        var id = (string)managed["TokenId"].Value;
        var clientId = (string)managed["ClientId"].Value;
        Assert.Equal([id], Emulator.State.AccessServiceTokenIds);

        var secret = FakeVault.Value(Ps, "Ops/ci-pull")!;
        Assert.Equal(clientId, FakeVault.Metadata(Ps, "Ops/ci-pull")!["ClientId"]);
        Assert.Equal("registry pulls", FakeVault.Metadata(Ps, "Ops/ci-pull")!["Purpose"]);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(clientId, secret));

        var row = Assert.Single(LedgerReader.Managed(LedgerPath));
        Assert.Equal((id, "ci-pull", "Active"), (row.TokenId, row.TokenName, row.State));
        Assert.Contains("vault:Ops/ci-pull", row.Destinations);
        var actions = LedgerReader.Entries(LedgerPath).Where(e => e.ToString().Contains(id) || e.ToString().Contains("ci-pull")).Select(e => e.ToString()).ToList();
        Assert.Contains(actions, a => a.Contains("mint") && a.Contains("Pending"));
        Assert.Contains(actions, a => a.Contains("activate") && a.Contains("Succeeded"));

        // The vault copy passes the protected origin (Test-CfAccessServiceToken reads secret + metadata back).
        Ps.Set("vaultSecret", PsSession.Secure(secret));
        var test = Ps.Run($"Test-CfAccessServiceToken -Uri '{Origin("app.example.com/")}' -AllowInsecure -ClientId '{clientId}' -ClientSecret $vaultSecret -Quiet");
        Assert.Equal(true, Assert.Single(test.Output).BaseObject);

        var listed = Ps.Run("Get-CfManagedToken");
        listed.AssertSucceeded("Get-CfManagedToken");
        Assert.Equal("active", listed.Output[0].Properties["CloudflareStatus"].Value);
        Assert.Equal("AccessServiceToken", listed.Output[0].Properties["Kind"].Value);
        Assert.Equal(clientId, listed.Output[0].Properties["ClientId"].Value);

        Thread.Sleep(3200);
        var cleanup = Ps.Run($"{Loud}Remove-CfExpiredManagedToken -PassThru -Confirm:$false");
        cleanup.AssertSucceeded("Remove-CfExpiredManagedToken");
        Assert.Equal("Revoked", cleanup.Output[0].Properties["State"].Value);
        Assert.Empty(Emulator.State.AccessServiceTokenIds);
        Assert.DoesNotContain("Ops/ci-pull", FakeVault.Contents(Ps).Keys.Cast<string>());
        Assert.Equal("Revoked", Assert.Single(LedgerReader.Managed(LedgerPath)).State);
        // Idempotent: a second run finds nothing to do.
        var again = Ps.Run("Remove-CfExpiredManagedToken -PassThru -Confirm:$false");
        again.AssertNoErrors();
        Assert.Empty(again.Output);

        foreach (var result in new[] { minted, listed, cleanup, again }) SecretAssert.NotLeaked(result, secret);
        foreach (var stored in LedgerReader.Entries(LedgerPath).Select(e => e.ToString()).Concat(LedgerReader.Managed(LedgerPath).Select(m => m.ToString())))
            Assert.DoesNotContain(secret, stored);
    }

    [Fact]
    public void Returned_to_the_caller_it_pipes_into_Test_CfAccessServiceToken()
    {
        ConnectOrFail();
        Emulator.State.AddAccessApplication("app.example.com");
        var result = Ps.Run($"New-CfManagedToken -AccessServiceToken -Name ci-caller -Purpose 'smoke test' -Ttl 1:00:00 -Confirm:$false | " +
                            $"Test-CfAccessServiceToken -Uri '{Origin("app.example.com/")}' -AllowInsecure");
        result.AssertSucceeded("New-CfManagedToken -AccessServiceToken | Test-CfAccessServiceToken");
        Assert.Equal("Authenticated", result.Output[0].Properties["Outcome"].Value.ToString());
        var row = Assert.Single(LedgerReader.Managed(LedgerPath));
        Assert.Equal(("ci-caller", "Active", "[\"caller\"]"), (row.TokenName, row.State, row.Destinations));
    }

    [Fact]
    public void A_vault_that_fails_gets_the_token_deleted_and_the_row_rolled_back()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, -1);
        var result = Ps.Run($"{Loud}New-CfManagedToken -AccessServiceToken -Name ci-fail -Purpose p -Ttl 1:00:00 -Vault Ops -Confirm:$false");
        var error = result.SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("was deleted, so nothing is orphaned", error.ErrorDetails!.Message);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.State.AccessServiceTokenIds);             // nothing left at Cloudflare
        Assert.Empty(FakeVault.Contents(Ps));                            // nothing stored
        Assert.Equal("RolledBack", Assert.Single(LedgerReader.Managed(LedgerPath)).State);
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.ToString().Contains("rollback") && e.ToString().Contains("RolledBack"));
        Assert.Contains(Emulator.Requests, r => r.Method == "DELETE" && r.Path.Contains("/access/service_tokens/"));
    }

    [Theory]
    [InlineData(FaultKind.Status, 400)] // refused: nothing was created
    [InlineData(FaultKind.Status, 500)] // answer lost: looked up by name, none there
    [InlineData(FaultKind.Reset, 0)]    // answer lost
    public void An_API_failure_on_create_leaves_nothing_behind(FaultKind kind, int status)
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        FakeVault.Install(Ps);
        Emulator.Faults.Add(new FaultRule { Kind = kind, StatusCode = status, Times = 1, Method = "POST", PathContains = "/access/service_tokens" });
        var result = Ps.Run($"New-CfManagedToken -AccessServiceToken -Name ci-api -Purpose p -Ttl 1:00:00 -Vault Ops -Confirm:$false");
        Assert.NotEmpty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.State.AccessServiceTokenIds);
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Empty(LedgerReader.Managed(LedgerPath)); // never registered: nothing was issued
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.ToString().Contains("mint") && e.ToString().Contains("Failed"));
    }

    [Fact]
    public void The_API_token_parameters_do_not_mix_with_AccessServiceToken_and_bad_input_is_refused_first()
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        var mixed = Ps.Run("New-CfManagedToken -AccessServiceToken -Name x -Purpose p -Ttl 1:00:00 -PermissionGroup 'DNS Read' -Confirm:$false");
        Assert.StartsWith("AmbiguousParameterSet", mixed.AllErrors.Single().FullyQualifiedErrorId);
        var badTtl = Ps.Run("New-CfManagedToken -AccessServiceToken -Name x -Purpose p -Ttl 0 -Confirm:$false");
        Assert.StartsWith("InvalidTtl,", badTtl.SingleError().FullyQualifiedErrorId);
        var badPurpose = Ps.Run("New-CfManagedToken -AccessServiceToken -Name x -Purpose ' ' -Ttl 1:00:00 -Confirm:$false");
        Assert.StartsWith("InvalidPurpose,", badPurpose.SingleError().FullyQualifiedErrorId);
        var badName = Ps.Run("New-CfManagedToken -AccessServiceToken -ClientIdName 'A B' -Name x -Purpose p -Ttl 1:00:00 -WorkerScript api-worker -Confirm:$false");
        Assert.StartsWith("InvalidSecretName,", badName.SingleError().FullyQualifiedErrorId);
        Assert.Empty(Emulator.Requests);
    }
}
