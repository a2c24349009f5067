using System.Management.Automation;
using CfManagement.Tests.Cmdlets.Access;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Session;

/// <summary>
/// Connect-CfAccount -Vault/-SecretName: the management token read from SecretManagement (Get-Secret/Get-SecretInfo as
/// functions over $global:CfAccessVault, plus Get-SecretVault naming the registered vaults), its token id and expiry
/// from metadata or from the NAME__TOKEN_ID / NAME__EXPIRES_AT companions; refusals before any request; no leak.
/// </summary>
public class ConnectFromVaultTests : CmdletTestBase
{
    private const string Vault = "Ops";

    private void InstallVault()
    {
        AccessVaultFunctions.Install(Ps);
        Ps.Run("function global:Get-SecretVault { param([string] $Name) if ($Name -eq 'Ops') { [pscustomobject]@{ Name = 'Ops' } } }").AssertNoErrors();
    }

    private void StoreWithMetadata(string name, string expiresOn, string? tokenId = null)
    {
        Ps.Set("CfVaultTokenValue", PsSession.Secure(AdminToken));
        Ps.Run($"Set-TestAccessSecret -Vault {Vault} -Name '{name}' -Secret $CfVaultTokenValue -Metadata @{{ TokenId = '{tokenId ?? Emulator.State.AdminTokenId}'; ExpiresOn = '{expiresOn}'; ManagedBy = 'CfManagement' }}").AssertNoErrors();
    }

    private void StoreWithCompanions(string name, string expiresAt)
    {
        Ps.Set("CfVaultTokenValue", AdminToken); // a vault without SecureString support hands back a string
        Ps.Run($"Set-TestAccessSecret -Vault {Vault} -Name '{name}' -Secret $CfVaultTokenValue; " +
               $"Set-TestAccessSecret -Vault {Vault} -Name '{name}__TOKEN_ID' -Secret '{Emulator.State.AdminTokenId}'; " +
               $"Set-TestAccessSecret -Vault {Vault} -Name '{name}__EXPIRES_AT' -Secret '{expiresAt}'").AssertNoErrors();
    }

    private PsResult ConnectFromVault(string name, string extra = "") =>
        Ps.Run($"Connect-CfAccount -Vault {Vault} -SecretName '{name}' -ApiBaseUri $ApiBaseUri -AccountId $AccountId -LedgerPath '{LedgerPath}' {extra}");

    private static object? Prop(PSObject session, string name) => session.Properties[name]?.Value;

    private static string Days(double days) => DateTimeOffset.UtcNow.AddDays(days).UtcDateTime.ToString("o");

    [Fact]
    public void Metadata_gives_the_expiry_and_warns_at_13_days()
    {
        InstallVault();
        StoreWithMetadata("CF_MGMT", Days(13));
        var result = ConnectFromVault("CF_MGMT");
        result.AssertSucceeded("Connect-CfAccount -Vault");
        var session = Assert.Single(result.Output);
        Assert.Equal(Emulator.State.AdminTokenId, Prop(session, "TokenId"));
        Assert.Equal("vault", Prop(session, "TokenExpiresOnSource")); // the emulator's admin token has no expires_on
        Assert.InRange((DateTimeOffset)Prop(session, "TokenExpiresOn")!, DateTimeOffset.UtcNow.AddDays(12.9), DateTimeOffset.UtcNow.AddDays(13.1));
        Assert.StartsWith("Vault:Ops/CF_MGMT", (string)Prop(session, "Source")!);
        Assert.Contains(result.Warnings, w => w.Message.Contains("expires on") && w.Message.Contains("12 days left"));
    }

    [Fact]
    public void Companions_give_the_expiry_and_15_days_is_no_warning()
    {
        InstallVault();
        StoreWithCompanions("CF_MGMT", Days(15));
        var result = ConnectFromVault("CF_MGMT");
        result.AssertSucceeded("Connect-CfAccount -Vault (companions)");
        var session = Assert.Single(result.Output);
        Assert.Equal("vault", Prop(session, "TokenExpiresOnSource"));
        Assert.InRange((DateTimeOffset)Prop(session, "TokenExpiresOn")!, DateTimeOffset.UtcNow.AddDays(14.9), DateTimeOffset.UtcNow.AddDays(15.1));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("expires on"));
    }

    [Fact]
    public void Companion_expiry_at_13_days_warns()
    {
        InstallVault();
        StoreWithCompanions("CF_MGMT", Days(13));
        var result = ConnectFromVault("CF_MGMT");
        result.AssertSucceeded("Connect-CfAccount -Vault (companions, 13 days)");
        Assert.Contains(result.Warnings, w => w.Message.Contains("expires on"));
    }

    [Fact]
    public void A_stale_token_id_in_the_vault_is_a_warning()
    {
        InstallVault();
        StoreWithMetadata("CF_MGMT", "never", tokenId: "0000000000000000000000000000dead");
        var result = ConnectFromVault("CF_MGMT");
        result.AssertSucceeded("Connect-CfAccount -Vault (stale id)");
        Assert.Null(Prop(Assert.Single(result.Output), "TokenExpiresOn"));
        Assert.Contains(result.Warnings, w => w.Message.Contains("out of date"));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "Connect-CfAccount -Vault Ops -SecretName 'MISSING' -ApiBaseUri $ApiBaseUri", "VaultTokenNotFound" },
        { "Connect-CfAccount -Vault Nowhere -SecretName 'CF_MGMT' -ApiBaseUri $ApiBaseUri", "VaultNotFound" },
        { "Connect-CfAccount -Vault ' ' -SecretName 'CF_MGMT' -ApiBaseUri $ApiBaseUri", "InvalidName" },
        { "Connect-CfAccount -Vault Ops -SecretName ' ' -ApiBaseUri $ApiBaseUri", "InvalidSecretName" },
        { "Connect-CfAccount -Vault Ops -SecretName 'NOT_TEXT' -ApiBaseUri $ApiBaseUri", "InvalidVaultToken" },
        { "Connect-CfAccount -Vault Ops -SecretName 'SPACED' -ApiBaseUri $ApiBaseUri", "InvalidVaultToken" },
        { "Remove-Item function:Get-Secret; Connect-CfAccount -Vault Ops -SecretName 'CF_MGMT' -ApiBaseUri $ApiBaseUri", "SecretManagementUnavailable" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_before_any_request(string script, string errorId)
    {
        InstallVault();
        StoreWithMetadata("CF_MGMT", Days(100));
        Ps.Run($"Set-TestAccessSecret -Vault {Vault} -Name 'NOT_TEXT' -Secret @{{ a = 1 }}; Set-TestAccessSecret -Vault {Vault} -Name 'SPACED' -Secret 'two words'").AssertNoErrors();
        var before = RequestCount();
        var result = Ps.Run(script);
        result.AssertFailedWith(script, errorId);
        Assert.Equal(before, RequestCount());
        var error = result.AllErrors.First();
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        if (errorId == "VaultTokenNotFound")
        {
            Assert.Contains("'MISSING'", error.ErrorDetails!.Message);
            Assert.Contains("'Ops'", error.ErrorDetails.Message);
            Assert.Contains("Get-SecretInfo", error.ErrorDetails.RecommendedAction);
        }
        Assert.DoesNotContain("two words", string.Join("\n", result.AllText()));
        Assert.DoesNotContain(AdminToken, string.Join("\n", result.AllText()));
    }

    [Fact]
    public void The_token_never_leaks_with_verbose_and_debug()
    {
        InstallVault();
        StoreWithMetadata("CF_MGMT", Days(5));
        // -WarningAction Continue: in a compiled cmdlet -Debug alone makes the expiry warning ask to continue
        var result = ConnectFromVault("CF_MGMT", "-Verbose -Debug -WarningAction Continue");
        result.AssertSucceeded("Connect-CfAccount -Vault -Verbose -Debug");
        Assert.True(result.Debug.Count + result.Verbose.Count > 0, "-Verbose -Debug produced nothing to check");
        Assert.NotEmpty(result.Warnings);
        SecretAssert.NotLeaked(result, AdminToken);
        Assert.DoesNotContain(AdminToken, Ps.Render("Get-CfSession | Format-List * | Out-String"));
    }
}
