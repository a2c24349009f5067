using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Vault;

/// <summary>
/// Both ways: every vault write by a minting or rolling command stores metadata AND the companions (NAME__TOKEN_ID,
/// __EXPIRES_AT, __SCOPES; an Access service token NAME__CLIENT_ID, __TOKEN_ID, __EXPIRES_AT), a stale __REVOKED_AT goes,
/// and a failed delivery leaves neither the value nor a companion behind.
/// </summary>
public class VaultCompanionWriteTests : CmdletTestBase
{
    [Fact]
    public void A_roll_writes_metadata_and_the_three_companions_and_clears_a_stale_REVOKED_AT()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "waf-edit", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        ConventionVault.Install(Ps);
        ConventionVault.Add(Ps, "waf-edit", "REVOKED", new System.Collections.Hashtable { ["TokenId"] = id, ["Revoked"] = "2026-01-01T00:00:00Z" });
        ConventionVault.Add(Ps, "waf-edit__REVOKED_AT", "2026-01-01T00:00:00Z");
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Vault Ops -Confirm:$false");
        result.AssertNoErrors();
        var metadata = ConventionVault.Metadata(Ps, "waf-edit")!;
        Assert.Equal(id, metadata["TokenId"]);
        Assert.False(metadata.Contains("Revoked"));
        Assert.Equal(id, ConventionVault.Secret(Ps, "waf-edit__TOKEN_ID"));
        Assert.Equal(metadata["ExpiresOn"], ConventionVault.Secret(Ps, "waf-edit__EXPIRES_AT"));
        Assert.Equal("DNS Read", ConventionVault.Secret(Ps, "waf-edit__SCOPES"));
        Assert.False(ConventionVault.Has(Ps, "waf-edit__REVOKED_AT"));
        Assert.False(ConventionVault.Has(Ps, "waf-edit__CLIENT_ID"));
        var credential = Ps.Run("Get-CfVaultCredential Ops waf-edit").Credentials().Single();
        Assert.Equal(("ApiToken", "Metadata", id, false), (credential.Kind, credential.MetadataSource, credential.TokenId, credential.IsRevoked));
        // What a companion-only tool sees without the metadata: the same facts.
        ConventionVault.Metadata(Ps, "waf-edit")!.Clear();
        var fromCompanions = Ps.Run("Get-CfVaultCredential Ops waf-edit").Credentials().Single();
        Assert.Equal(("ApiToken", "Companions", id, "DNS Read"), (fromCompanions.Kind, fromCompanions.MetadataSource, fromCompanions.TokenId, fromCompanions.Scopes));
        Assert.Equal(credential.ExpiresOn, fromCompanions.ExpiresOn);
    }

    [Fact]
    public void An_Access_service_token_gets_CLIENT_ID_TOKEN_ID_and_EXPIRES_AT_beside_its_metadata()
    {
        ConnectOrFail();
        ConventionVault.Install(Ps);
        var result = Ps.Run("New-CfAccessServiceToken -Name monitoring -Duration 2160h -Vault Ops -Confirm:$false");
        result.AssertNoErrors();
        var token = result.Output.Single();
        var clientId = (string)token.Properties["ClientId"].Value;
        var tokenId = (string)token.Properties["Id"].Value;
        Assert.Equal(clientId, ConventionVault.Metadata(Ps, "monitoring")!["ClientId"]);
        Assert.Equal(clientId, ConventionVault.Secret(Ps, "monitoring__CLIENT_ID"));
        Assert.Equal(tokenId, ConventionVault.Secret(Ps, "monitoring__TOKEN_ID"));
        Assert.StartsWith("20", (string)ConventionVault.Secret(Ps, "monitoring__EXPIRES_AT")!);
        Assert.False(ConventionVault.Has(Ps, "monitoring__SCOPES"));
        var credential = Ps.Run("Get-CfVaultCredential Ops monitoring").Credentials().Single();
        Assert.Equal(("AccessServiceToken", clientId, tokenId), (credential.Kind, credential.ClientId, credential.TokenId));
    }

    [Fact]
    public void A_vault_without_metadata_gets_the_companions_only()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "plain-roll", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        ConventionVault.Install(Ps);
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Vault Plain -Confirm:$false -Verbose");
        result.AssertNoErrors();
        Assert.Null(ConventionVault.Metadata(Ps, "plain-roll", "Plain"));
        Assert.Equal(id, ConventionVault.Secret(Ps, "plain-roll__TOKEN_ID", "Plain"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("does not take metadata"));
        var credential = Ps.Run("Get-CfVaultCredential Plain").Credentials().Single();
        Assert.Equal(("Companions", id, "DNS Read"), (credential.MetadataSource, credential.TokenId, credential.Scopes));
    }

    [Fact]
    public void A_companion_that_cannot_be_written_rolls_back_leaving_nothing_in_the_vault()
    {
        ConnectOrFail();
        ConventionVault.Install(Ps);
        Ps.Set("CvFailWrite", "*__SCOPES");
        var result = Ps.Run("New-CfManagedToken -Name half-stored -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault Ops -Confirm:$false");
        Assert.NotEmpty(result.AllErrors);
        Assert.Contains("half-stored__TOKEN_ID", ConventionVault.Writes(Ps)); // it got that far
        Assert.Empty(ConventionVault.Store(Ps));                             // and took it all back
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name == "half-stored"); // the token was withdrawn
    }

    [Fact]
    public void Cleanup_removes_the_value_and_its_companions_and_tolerates_missing_ones()
    {
        ConnectOrFail();
        ConventionVault.Install(Ps);
        Ps.Run("New-CfManagedToken -Name short -Purpose test -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault Ops -Confirm:$false").AssertNoErrors();
        Assert.True(ConventionVault.Has(Ps, "short__EXPIRES_AT"));
        Ps.Run("Remove-Secret -Name short__SCOPES -Vault Ops").AssertNoErrors(); // someone removed one already
        Thread.Sleep(TimeSpan.FromSeconds(3));
        var result = Ps.Run("Remove-CfExpiredManagedToken -Name short -PassThru -Confirm:$false");
        result.AssertNoErrors();
        Assert.Empty(ConventionVault.Store(Ps));
    }

    [Fact]
    public void A_stale_REVOKED_AT_that_cannot_be_removed_is_a_warning_not_a_failed_roll()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "sticky", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        ConventionVault.Install(Ps);
        ConventionVault.Add(Ps, "sticky__REVOKED_AT", "2026-01-01T00:00:00Z");
        Ps.Set("CvFailRemove", "*__REVOKED_AT");
        var result = Ps.Run($"Invoke-CfTokenRoll -Id {id} -Vault Ops -Confirm:$false");
        result.AssertNoErrors();
        Assert.Contains(result.Warnings, w => w.Message.Contains("sticky__REVOKED_AT", StringComparison.Ordinal));
        Assert.Equal(id, ConventionVault.Secret(Ps, "sticky__TOKEN_ID"));
        Assert.True(Emulator.State.IsValueLive(ConventionVault.Secret(Ps, "sticky") is System.Security.SecureString s ? new System.Net.NetworkCredential("", s).Password : ""));
    }
}
