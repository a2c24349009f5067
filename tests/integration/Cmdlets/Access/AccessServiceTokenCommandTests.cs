using System.Collections;
using System.Security;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// The Access service token commands against the emulator: create into a vault (secret under NAME, client id in the
/// metadata; companions without metadata) and into Worker secrets (NAME_CLIENT_ID / NAME_CLIENT_SECRET); list with
/// wildcards and -ExpiringWithin; rename, change duration, refresh; rotate with and without a grace window (checked with
/// the emulator's own secret check); remove by pipeline; -WhatIf sends nothing that changes.
/// </summary>
public class AccessServiceTokenCommandTests : CmdletTestBase
{
    private const string Vault = "Ops";

    private AccessObject Token(string name) =>
        Assert.Single(Ps.Run($"Get-CfAccessServiceToken -Name '{name}'").Access());

    [Fact]
    public void New_returns_the_secret_as_a_SecureString_that_authenticates_and_the_list_shows_expiry_and_days_left()
    {
        ConnectOrFail();
        var result = Ps.Run("New-CfAccessServiceToken -Name ci-registry -Duration 720h -Confirm:$false");
        result.AssertNoErrors();
        var credential = Assert.Single(result.Access());
        var secret = Assert.IsType<SecureString>(credential.ClientSecret);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, Plain.Of(secret)));
        Assert.Null(credential.Destination);
        Assert.Equal("720h", credential.Duration);
        Assert.Equal(30, credential.DaysLeft);

        var listed = Token("ci-registry");
        Assert.Equal(credential.Id, listed.Id);
        Assert.Equal(credential.ClientId, listed.ClientId);
        var table = Ps.Run("Get-CfAccessServiceToken | Out-String -Width 250").Output.Single().ToString()!;
        Assert.Contains("DaysLeft", table);
        Assert.Contains("ci-registry", table);
        Assert.Contains(listed.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm") + "Z", table);
        SecretAssert.NotLeaked(result, Plain.Of(secret));
        Assert.Single(LedgerReader.Entries(LedgerPath).Where(e => e.Action == "create" && e.Outcome == "Succeeded" && e.TokenId == credential.Id));
    }

    [Fact]
    public void AsPlainText_returns_a_string()
    {
        ConnectOrFail();
        var credential = Ps.Run("New-CfAccessServiceToken -Name plain -AsPlainText -Confirm:$false").Access().Single();
        var text = Assert.IsType<string>(credential.ClientSecret);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, text));
    }

    [Fact]
    public void New_into_a_vault_stores_the_secret_under_the_name_with_the_client_id_in_metadata()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var result = Ps.Run($"New-CfAccessServiceToken -Name monitoring -Vault {Vault} -Confirm:$false");
        result.AssertNoErrors();
        var credential = result.Access().Single();
        Assert.Null(credential.ClientSecret); // delivered: the object does not carry it
        Assert.Equal($"vault:{Vault}/monitoring", credential.Destination);
        var stored = FakeVault.Value(Ps, $"{Vault}/monitoring")!;
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, stored));
        var metadata = FakeVault.Metadata(Ps, $"{Vault}/monitoring")!;
        Assert.Equal(credential.ClientId, metadata["ClientId"]);
        Assert.Equal(credential.Id, metadata["TokenId"]);
        Assert.Equal(credential.ExpiresAt!.Value.UtcDateTime.ToString("o"), metadata["ExpiresOn"]);
        SecretAssert.NotLeaked(result, stored);
    }

    [Fact]
    public void A_vault_without_metadata_gets_companions_CLIENT_ID_and_EXPIRES_AT()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        // A vault extension that rejects -Metadata (as some do) makes the destination fall back to companion secrets.
        Ps.Run("""
            function global:Set-Secret {
                param([string] $Name, [object] $Secret, [string] $Vault, [hashtable] $Metadata)
                if ($Metadata) { throw "This vault does not support metadata." }
                $global:CfFakeVault["$Vault/$Name"] = $Secret
            }
            """).AssertNoErrors();
        var result = Ps.Run($"New-CfAccessServiceToken -Name external -Duration 2160h -Vault {Vault} -Confirm:$false");
        result.AssertNoErrors();
        var credential = result.Access().Single();
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, FakeVault.Value(Ps, $"{Vault}/external")!));
        Assert.Equal(credential.ClientId, FakeVault.Value(Ps, $"{Vault}/external__CLIENT_ID"));
        Assert.Equal(credential.ExpiresAt!.Value.UtcDateTime.ToString("o"), FakeVault.Value(Ps, $"{Vault}/external__EXPIRES_AT"));
        Assert.Equal(credential.Id, FakeVault.Value(Ps, $"{Vault}/external__TOKEN_ID"));
    }

    [Fact]
    public void New_into_a_Worker_writes_NAME_CLIENT_ID_and_NAME_CLIENT_SECRET_or_the_given_names()
    {
        Emulator.State.AddWorkerScript("gateway");
        ConnectOrFail();
        var result = Ps.Run("New-CfAccessServiceToken -Name 'ci-deploy' -WorkerScript gateway -Confirm:$false");
        result.AssertNoErrors();
        var credential = result.Access().Single();
        Assert.Equal("worker:gateway/CI_DEPLOY_CLIENT_ID, worker:gateway/CI_DEPLOY_CLIENT_SECRET", credential.Destination);
        Assert.Equal(credential.ClientId, Emulator.State.WorkerSecretText("gateway", "CI_DEPLOY_CLIENT_ID"));
        var secret = Emulator.State.WorkerSecretText("gateway", "CI_DEPLOY_CLIENT_SECRET")!;
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, secret));

        Ps.Run("New-CfAccessServiceToken -Name other -WorkerScript gateway -ClientIdName ORIGIN_ID -ClientSecretName ORIGIN_SECRET -Confirm:$false").AssertNoErrors();
        Assert.NotNull(Emulator.State.WorkerSecretText("gateway", "ORIGIN_ID"));
        Assert.NotNull(Emulator.State.WorkerSecretText("gateway", "ORIGIN_SECRET"));
        SecretAssert.NotLeaked(result, secret);
    }

    [Fact]
    public void Get_filters_by_wildcard_and_ExpiringWithin_and_reports_a_missing_literal_name()
    {
        ConnectOrFail();
        foreach (var (name, duration) in new[] { ("ci-a", "24h"), ("ci-b", "8760h"), ("mon", "forever") })
            Ps.Run($"New-CfAccessServiceToken -Name {name} -Duration {duration} -Confirm:$false").AssertNoErrors();
        Assert.Equal(new[] { "ci-a", "ci-b" }, Ps.Run("Get-CfAccessServiceToken -Name 'ci-*'").Access().Select(t => t.Name));
        Assert.Equal(new[] { "ci-a" }, Ps.Run("Get-CfAccessServiceToken -ExpiringWithin (New-TimeSpan -Days 30)").Access().Select(t => t.Name));
        Assert.Null(Token("mon").ExpiresAt);
        var missing = Ps.Run("Get-CfAccessServiceToken -Name nope");
        Assert.StartsWith("AccessServiceTokenNotFound,", missing.SingleError().FullyQualifiedErrorId);
        var byId = Ps.Run($"Get-CfAccessServiceToken -Id {Token("ci-b").Id}").Access().Single();
        Assert.Equal("ci-b", byId.Name);
    }

    [Fact]
    public void Set_renames_and_changes_duration_and_Update_refreshes_the_expiry()
    {
        ConnectOrFail();
        Ps.Run("New-CfAccessServiceToken -Name old-name -Duration 24h -Confirm:$false").AssertNoErrors();
        var before = Token("old-name");
        var set = Ps.Run("Get-CfAccessServiceToken -Name old-name | Set-CfAccessServiceToken -NewName new-name -Duration 48h -Confirm:$false");
        set.AssertNoErrors();
        var changed = set.Access().Single();
        Assert.Equal(("new-name", "48h", before.Id), (changed.Name, changed.Duration, changed.Id));

        var refreshed = Ps.Run("Update-CfAccessServiceToken -Name new-name -Confirm:$false").Access().Single();
        Assert.True(refreshed.ExpiresAt > before.ExpiresAt!.Value.AddHours(23), $"{refreshed.ExpiresAt} vs {before.ExpiresAt}");
        Assert.Single(LedgerReader.Entries(LedgerPath).Where(e => e.Action == "refresh" && e.Outcome == "Succeeded"));
    }

    [Fact]
    public void Rotate_without_grace_kills_the_old_secret_at_once_and_delivers_the_new_one_to_the_vault()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var created = Ps.Run($"New-CfAccessServiceToken -Name registry -Vault {Vault} -Confirm:$false").Access().Single();
        var oldSecret = FakeVault.Value(Ps, $"{Vault}/registry")!;
        var result = Ps.Run($"Get-CfAccessServiceToken -Name registry | Invoke-CfAccessServiceTokenRotate -Vault {Vault} -Confirm:$false");
        result.AssertNoErrors();
        var rotated = result.Access().Single();
        var newSecret = FakeVault.Value(Ps, $"{Vault}/registry")!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(created.ClientId, rotated.ClientId);
        Assert.False(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, oldSecret), "without a grace period the old secret must die at once");
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, newSecret));
        Assert.Null(rotated.PreviousSecretExpiresAt);
        var rotate = Emulator.Requests.Single(r => r.Path.EndsWith("/rotate"));
        Assert.DoesNotContain("previous_client_secret_expires_at", rotate.Body);
        SecretAssert.NotLeaked(result, oldSecret, newSecret);
        Assert.Single(LedgerReader.Entries(LedgerPath).Where(e => e.Action == "rotate" && e.Outcome == "Succeeded"));
    }

    [Fact]
    public void Rotate_with_a_grace_period_keeps_both_secrets_alive_until_its_end()
    {
        ConnectOrFail();
        var created = Ps.Run("New-CfAccessServiceToken -Name grace -Confirm:$false").Access().Single();
        var oldSecret = Plain.Of((SecureString)created.ClientSecret!);
        var before = DateTimeOffset.UtcNow;
        var rotated = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {created.Id} -GracePeriod (New-TimeSpan -Hours 2) -Confirm:$false")
            .Access().Single();
        var newSecret = Plain.Of((SecureString)rotated.ClientSecret!);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, oldSecret), "the old secret works during the grace window");
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, newSecret));
        Assert.InRange(rotated.PreviousSecretExpiresAt!.Value, before.AddHours(2).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(2).AddSeconds(1));
        var rotate = Emulator.Requests.Single(r => r.Path.EndsWith("/rotate"));
        Assert.Contains("previous_client_secret_expires_at", rotate.Body);
    }

    [Fact]
    public void Remove_by_pipeline_deletes_and_WhatIf_changes_nothing()
    {
        ConnectOrFail();
        Ps.Run("'r1','r2' | ForEach-Object { New-CfAccessServiceToken -Name $_ -Confirm:$false } | Out-Null").AssertNoErrors();
        Emulator.ClearRequests();
        Ps.Run("Get-CfAccessServiceToken -Name 'r*' | Remove-CfAccessServiceToken -WhatIf").AssertNoErrors();
        Ps.Run("Get-CfAccessServiceToken -Name 'r*' | Invoke-CfAccessServiceTokenRotate -WhatIf").AssertNoErrors();
        Ps.Run("New-CfAccessServiceToken -Name r3 -WhatIf").AssertNoErrors();
        Assert.DoesNotContain(Emulator.Requests, r => r.Method != "GET");
        Ps.Run("Get-CfAccessServiceToken -Name 'r*' | Remove-CfAccessServiceToken -Confirm:$false").AssertNoErrors();
        Assert.Empty(Emulator.State.AccessServiceTokenNames);
        Assert.Equal(2, LedgerReader.Entries(LedgerPath).Count(e => e.Action == "revoke" && e.Outcome == "Succeeded"));
    }

    [Fact]
    public void A_name_already_taken_is_refused_before_anything_is_created()
    {
        ConnectOrFail();
        Ps.Run("New-CfAccessServiceToken -Name dup -Confirm:$false").AssertNoErrors();
        var error = Ps.Run("New-CfAccessServiceToken -Name dup -Confirm:$false").SingleError();
        Assert.StartsWith("AccessServiceTokenNameTaken,", error.FullyQualifiedErrorId);
        Assert.Single(Emulator.State.AccessServiceTokenNames);
    }

    [Fact]
    public async Task At_the_protected_origin_a_rotate_without_grace_refuses_the_old_secret_at_once_and_admits_the_new()
    {
        ConnectOrFail();
        var created = Ps.Run("New-CfAccessServiceToken -Name origin-ci -AsPlainText -Confirm:$false").Access().Single();
        Emulator.State.AddAccessApplication("app.raxx.app", created.Id);
        using var http = new HttpClient();
        async Task<int> Visit(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Emulator.AccessOriginUri, "app.raxx.app/health"));
            request.Headers.Add("CF-Access-Client-Id", created.ClientId);
            request.Headers.Add("CF-Access-Client-Secret", secret);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        var old = (string)created.ClientSecret!;
        Assert.Equal(200, await Visit(old));
        var rotated = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {created.Id} -AsPlainText -Confirm:$false").Access().Single();
        Assert.Equal(401, await Visit(old));
        Assert.Equal(200, await Visit((string)rotated.ClientSecret!));
    }
}
