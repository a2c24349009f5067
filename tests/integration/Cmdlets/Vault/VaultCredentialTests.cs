using System.Collections;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Vault;

/// <summary>
/// Get-/Set-/Remove-CfVaultCredential over <see cref="ConventionVault"/>: credentials described from metadata, from
/// companions, from both; revoked, missing values, wildcards, a vault that rejects metadata; one listing per command,
/// companion values read only without metadata and never a credential's value; refusals before any vault call.
/// </summary>
public class VaultCredentialTests : CmdletTestBase
{
    private const string TokenId = "0123456789abcdef0123456789abcdef";
    private const string OtherId = "fedcba9876543210fedcba9876543210";
    private const string ClientId = "4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.access";
    private const string Value = "cfut_TheCredentialValueMustNeverBeReadBack0123456789";

    private static string Days(double days) => DateTimeOffset.UtcNow.AddDays(days).UtcDateTime.ToString("o");

    private void Install() => ConventionVault.Install(Ps);

    private void WithMetadata(string name, string expires, string vault = "Ops") => ConventionVault.Add(Ps, name, PsSession.Secure(Value),
        new Hashtable { ["TokenId"] = TokenId, ["TokenName"] = name.ToLowerInvariant(), ["ExpiresOn"] = expires, ["Scopes"] = "Zone Read, DNS Write",
            ["IssuedOn"] = Days(-1), ["Purpose"] = "runbook", ["ManagedBy"] = "CfManagement" }, vault);

    private void WithCompanions(string name, string expires, bool value = true, string id = OtherId, string? clientId = null)
    {
        if (value) ConventionVault.Add(Ps, name, Value);
        ConventionVault.Add(Ps, name + "__TOKEN_ID", id);
        ConventionVault.Add(Ps, name + "__EXPIRES_AT", expires);
        if (clientId == null) ConventionVault.Add(Ps, name + "__SCOPES", "Zone WAF Edit");
        else ConventionVault.Add(Ps, name + "__CLIENT_ID", clientId);
    }

    private List<CfVaultCredential> Get(string args, out PsResult result)
    {
        result = Ps.Run("Get-CfVaultCredential " + args);
        return result.Credentials().ToList();
    }

    [Fact]
    public void Metadata_only_is_described_from_the_one_listing_without_reading_anything()
    {
        Install();
        WithMetadata("CF_META", Days(10));
        var credential = Assert.Single(Get("-Vault Ops", out var result));
        result.AssertNoErrors();
        Assert.Equal(("CF_META", "Ops", "ApiToken", "Metadata"), (credential.Name, credential.Vault, credential.Kind, credential.MetadataSource));
        Assert.Equal(TokenId, credential.TokenId);
        Assert.Equal("cf_meta", credential.TokenName);
        Assert.Equal("Zone Read, DNS Write", credential.Scopes);
        Assert.Equal("runbook", credential.Purpose);
        Assert.InRange(credential.DaysLeft!.Value, 9, 10);
        Assert.NotNull(credential.IssuedOn);
        Assert.True(credential.HasValue);
        Assert.False(credential.IsRevoked);
        Assert.Null(credential.ClientId);
        Assert.Equal("CF_META", credential.ToString());
        Assert.Equal(1, ConventionVault.Listings(Ps));
        Assert.Empty(ConventionVault.Reads(Ps));
    }

    [Fact]
    public void Companions_only_are_read_from_the_companions_never_the_value()
    {
        Install();
        WithCompanions("CF_COMP", "2027-06-01T00:00:00Z");
        var credential = Assert.Single(Get("Ops", out var result));
        result.AssertNoErrors();
        Assert.Equal(("ApiToken", "Companions", OtherId, "Zone WAF Edit"), (credential.Kind, credential.MetadataSource, credential.TokenId, credential.Scopes));
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero), credential.ExpiresOn);
        Assert.True(credential.HasValue);
        Assert.Equal(1, ConventionVault.Listings(Ps));
        Assert.Equal(new[] { "CF_COMP__EXPIRES_AT", "CF_COMP__SCOPES", "CF_COMP__TOKEN_ID" }, ConventionVault.Reads(Ps).Order());
    }

    [Fact]
    public void Both_prefer_the_metadata_and_read_no_companion()
    {
        Install();
        WithMetadata("CF_BOTH", "never");
        ConventionVault.Add(Ps, "CF_BOTH__TOKEN_ID", OtherId);
        ConventionVault.Add(Ps, "CF_BOTH__EXPIRES_AT", "never");
        var credential = Assert.Single(Get("Ops", out var result));
        result.AssertNoErrors();
        Assert.Equal(("Metadata", TokenId), (credential.MetadataSource, credential.TokenId));
        Assert.Null(credential.ExpiresOn); // never
        Assert.Null(credential.DaysLeft);
        Assert.Empty(ConventionVault.Reads(Ps));
    }

    [Fact]
    public void An_Access_service_token_is_recognised_by_its_client_id_either_way()
    {
        Install();
        WithCompanions("CF_ACCESS_COMP", Days(30), clientId: ClientId);
        ConventionVault.Add(Ps, "CF_ACCESS_META", PsSession.Secure(Value), new Hashtable { ["Kind"] = "AccessServiceToken", ["TokenId"] = TokenId, ["ClientId"] = ClientId, ["ExpiresOn"] = Days(30) });
        var all = Get("Ops CF_ACCESS_*", out var result);
        result.AssertNoErrors();
        Assert.Equal(2, all.Count);
        Assert.All(all, c => Assert.Equal(("AccessServiceToken", ClientId), (c.Kind, c.ClientId)));
        Assert.Equal(new[] { "Companions", "Metadata" }, all.Select(c => c.MetadataSource).Order());
    }

    [Fact]
    public void Revoked_shows_from_metadata_from_a_companion_and_from_a_companion_beside_metadata()
    {
        Install();
        ConventionVault.Add(Ps, "R_META", "REVOKED", new Hashtable { ["TokenId"] = TokenId, ["Revoked"] = "2026-11-01T10:00:00.0000000Z", ["RevokedReason"] = "exposed" });
        WithCompanions("R_COMP", Days(5));
        ConventionVault.Add(Ps, "R_COMP__REVOKED_AT", "2026-11-02T10:00:00Z");
        WithMetadata("R_MIXED", Days(5));
        ConventionVault.Add(Ps, "R_MIXED__REVOKED_AT", "2026-11-03T10:00:00Z");
        WithMetadata("R_NOT", Days(5));
        var byName = Get("Ops R_*", out var result).ToDictionary(c => c.Name);
        result.AssertNoErrors();
        Assert.Equal(4, byName.Count);
        Assert.True(byName["R_META"].IsRevoked);
        Assert.Equal("exposed", byName["R_META"].RevokedReason);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), byName["R_META"].RevokedOn);
        Assert.True(byName["R_COMP"].IsRevoked);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero), byName["R_COMP"].RevokedOn);
        Assert.True(byName["R_MIXED"].IsRevoked);
        Assert.Equal(("Metadata", TokenId), (byName["R_MIXED"].MetadataSource, byName["R_MIXED"].TokenId));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), byName["R_MIXED"].RevokedOn);
        Assert.False(byName["R_NOT"].IsRevoked);
        Assert.DoesNotContain(ConventionVault.Reads(Ps), n => !n.Contains("__", StringComparison.Ordinal)); // never a value
    }

    [Fact]
    public void A_missing_value_with_companions_left_is_listed_once_with_HasValue_false()
    {
        Install();
        WithCompanions("GONE", Days(3), value: false);
        var credential = Assert.Single(Get("Ops", out var result));
        result.AssertNoErrors();
        Assert.False(credential.HasValue);
        Assert.Equal(("GONE", "ApiToken", "Companions", OtherId), (credential.Name, credential.Kind, credential.MetadataSource, credential.TokenId));
    }

    [Fact]
    public void Wildcards_select_credentials_never_companions_and_a_literal_miss_is_VaultCredentialNotFound()
    {
        Install();
        WithMetadata("CF_WAF_EDIT_A", Days(10));
        WithCompanions("CF_WAF_EDIT_B", Days(10));
        WithMetadata("CF_DNS", Days(10));
        ConventionVault.Add(Ps, "UNRELATED", "x");
        var names = Get("Ops CF_WAF_*", out var result).Select(c => c.Name).ToList();
        result.AssertNoErrors();
        Assert.Equal(new[] { "CF_WAF_EDIT_A", "CF_WAF_EDIT_B" }, names);
        Assert.Equal(new[] { "CF_DNS", "CF_WAF_EDIT_A", "CF_WAF_EDIT_B", "UNRELATED" }, Get("Ops *", out _).Select(c => c.Name));
        Assert.Equal("Unknown", Get("Ops UNRELATED", out _).Single().Kind);
        Assert.Equal("None", Get("Ops UNRELATED", out _).Single().MetadataSource);
        // Overlapping patterns and a companion's name: each credential once.
        Assert.Equal(new[] { "CF_WAF_EDIT_B", "CF_DNS" }, Get("Ops CF_WAF_EDIT_B, CF_WAF_EDIT_B__TOKEN_ID, CF_DNS, CF_D*", out _).Select(c => c.Name));
        // A name with brackets, escaped the way a script passes a literal name.
        ConventionVault.Add(Ps, "CF_[ODD]", "x", new Hashtable { ["TokenId"] = TokenId });
        Assert.Equal("CF_[ODD]", Assert.Single(Get("Ops ([WildcardPattern]::Escape('CF_[ODD]'))", out var escaped)).Name);
        escaped.AssertNoErrors();
        var missing = Get("Ops NOPE, CF_DNS, NOPE_*", out var missed);
        Assert.Equal("CF_DNS", Assert.Single(missing).Name);
        var error = missed.SingleError();
        Assert.StartsWith("VaultCredentialNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Get_SecretInfo_pipes_in_and_the_vault_is_listed_once()
    {
        Install();
        for (var i = 0; i < 12; i++) WithCompanions($"PIPE_{i:00}", Days(i + 1));
        ConventionVault.ResetCounters(Ps);
        var result = Ps.Run("Get-SecretInfo -Vault Ops | Get-CfVaultCredential");
        result.AssertNoErrors();
        Assert.Equal(12, result.Credentials().Count());
        Assert.Equal(2, ConventionVault.Listings(Ps)); // the pipe's own Get-SecretInfo, then ours: once for 48 piped names
        Assert.NotEmpty(result.Progress); // companions read for 12 credentials, one piped name at a time
        Assert.Contains(result.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
        var listed = Ps.Run("Get-CfVaultCredential Ops");
        Assert.Equal(12, listed.Credentials().Count());
        Assert.Contains(listed.Progress, p => p.PercentComplete > 0 && p.StatusDescription.Contains("of 12", StringComparison.Ordinal));
        Assert.Contains(listed.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
    }

    [Fact]
    public void A_credential_shaped_fact_is_withheld_with_a_warning()
    {
        Install();
        ConventionVault.Add(Ps, "OOPS", "x");
        ConventionVault.Add(Ps, "OOPS__TOKEN_ID", Value); // a value pasted into the companion by mistake
        var credential = Assert.Single(Get("Ops OOPS", out var result));
        Assert.Null(credential.TokenId);
        Assert.Contains(result.Warnings, w => w.Message.Contains("looks like a credential"));
        SecretAssert.NotLeaked(result, Value);
    }

    [Fact]
    public void Set_Revoked_writes_the_marker_keeps_the_metadata_and_writes_REVOKED_AT()
    {
        Install();
        WithMetadata("CF_X", Days(20));
        var result = Ps.Run("Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked -Reason 'exposed in a build log'");
        result.AssertSucceeded("Set-CfVaultCredential -Revoked");
        var credential = Assert.Single(result.Credentials());
        Assert.True(credential.IsRevoked);
        Assert.Equal("exposed in a build log", credential.RevokedReason);
        Assert.Equal(TokenId, credential.TokenId);
        Assert.InRange(credential.RevokedOn!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("REVOKED", ConventionVault.Secret(Ps, "CF_X"));
        var metadata = ConventionVault.Metadata(Ps, "CF_X")!;
        Assert.Equal(TokenId, metadata["TokenId"]);
        Assert.Equal("Zone Read, DNS Write", metadata["Scopes"]);
        Assert.Equal("exposed in a build log", metadata["RevokedReason"]);
        var revoked = (string)metadata["Revoked"]!;
        Assert.EndsWith("Z", revoked);
        Assert.Equal(revoked, ConventionVault.Secret(Ps, "CF_X__REVOKED_AT"));
        Assert.DoesNotContain(ConventionVault.Reads(Ps), n => n == "CF_X"); // the value was never read
    }

    [Fact]
    public void Set_Revoked_pipes_from_Get_and_a_companion_only_credential_keeps_its_companions()
    {
        Install();
        WithCompanions("C1", Days(20));
        WithCompanions("C2", Days(20));
        var result = Ps.Run("Get-CfVaultCredential Ops C* | Set-CfVaultCredential -Revoked");
        result.AssertSucceeded("piped Set-CfVaultCredential", 2);
        Assert.All(result.Credentials(), c => Assert.Equal((true, "Companions", OtherId), (c.IsRevoked, c.MetadataSource, c.TokenId)));
        Assert.True(ConventionVault.Has(Ps, "C1__REVOKED_AT") && ConventionVault.Has(Ps, "C2__REVOKED_AT"));
    }

    [Fact]
    public void Set_Revoked_on_a_vault_that_rejects_metadata_writes_the_marker_and_the_companion()
    {
        Install();
        ConventionVault.Add(Ps, "P", Value, vault: "Plain");
        ConventionVault.Add(Ps, "P__TOKEN_ID", TokenId, vault: "Plain");
        var result = Ps.Run("Set-CfVaultCredential Plain P -Revoked -Reason lost");
        result.AssertSucceeded("Set-CfVaultCredential on a vault without metadata");
        var credential = Assert.Single(result.Credentials());
        Assert.Equal((true, "Companions", TokenId), (credential.IsRevoked, credential.MetadataSource, credential.TokenId));
        Assert.Equal("REVOKED", ConventionVault.Secret(Ps, "P", "Plain"));
        Assert.True(ConventionVault.Has(Ps, "P__REVOKED_AT", "Plain"));
    }

    [Fact]
    public void Set_WhatIf_changes_nothing()
    {
        Install();
        WithMetadata("CF_W", Days(20));
        var result = Ps.Run("Set-CfVaultCredential Ops CF_W -Revoked -WhatIf");
        result.AssertNoErrors();
        Assert.Empty(result.Output);
        Assert.Empty(ConventionVault.Writes(Ps));
    }

    [Fact]
    public void Remove_takes_the_value_and_every_companion_and_a_second_time_is_VaultCredentialNotFound()
    {
        Install();
        WithCompanions("DEL", Days(20));
        ConventionVault.Add(Ps, "DEL__REVOKED_AT", Days(-1));
        WithMetadata("KEEP", Days(20));
        ConventionVault.Add(Ps, "DELAY", "not a companion of DEL");
        var result = Ps.Run("Remove-CfVaultCredential -Vault Ops -Name DEL -Confirm:$false");
        result.AssertNoErrors();
        Assert.Equal(new[] { "DEL", "DEL__EXPIRES_AT", "DEL__REVOKED_AT", "DEL__SCOPES", "DEL__TOKEN_ID" }, ConventionVault.Removes(Ps).Order());
        Assert.True(ConventionVault.Has(Ps, "KEEP") && ConventionVault.Has(Ps, "DELAY"));
        var again = Ps.Run("Remove-CfVaultCredential Ops DEL -Confirm:$false");
        var error = again.SingleError();
        Assert.StartsWith("VaultCredentialNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Remove_pipes_from_Get_and_clears_companions_without_a_value()
    {
        Install();
        WithCompanions("ORPHAN", Days(1), value: false);
        WithMetadata("LIVE", Days(20));
        var result = Ps.Run("Get-CfVaultCredential Ops | Where-Object { -not $_.HasValue } | Remove-CfVaultCredential -Confirm:$false");
        result.AssertNoErrors();
        Assert.Equal(new[] { "Ops/LIVE" }, ConventionVault.Store(Ps).Keys.Cast<string>());
    }

    [Fact]
    public void Remove_keeps_the_companions_when_the_value_cannot_be_removed()
    {
        Install();
        WithCompanions("STUCK", Days(1));
        Ps.Set("CvFailRemove", "STUCK");
        var result = Ps.Run("Remove-CfVaultCredential Ops STUCK -Confirm:$false");
        Assert.StartsWith("VaultWriteFailed,", result.SingleError().FullyQualifiedErrorId);
        Assert.True(ConventionVault.Has(Ps, "STUCK__TOKEN_ID"));
        Ps.Set("CvFailRemove", "");
        Ps.Run("Remove-CfVaultCredential Ops STUCK -Confirm:$false").AssertNoErrors();
        Assert.Empty(ConventionVault.Store(Ps));
    }

    [Fact]
    public void Nested_SecretManagement_output_goes_through_our_streams_and_leaves_nothing_in_Error()
    {
        Install();
        WithCompanions("LOUD", Days(1));
        // A vault that talks: its verbose lines must come out of our verbose stream, never the host.
        Ps.Run("""
            function global:Get-Secret {
                [CmdletBinding()] param([string] $Name, [string] $Vault, [switch] $AsPlainText)
                Write-Verbose "reading $Name"
                Write-Information 'vault says hi'
                $global:CvReads.Add($Name)
                $global:CvStore["$Vault/$Name"].Secret
            }
            $global:Error.Clear()
            """).AssertNoErrors();
        var quiet = Ps.Run("$r = Get-CfVaultCredential Ops; $r.Count; Get-CfVaultCredential Ops NOPE -ErrorAction SilentlyContinue; Remove-CfVaultCredential Ops NOPE -ErrorAction SilentlyContinue -Confirm:$false; $global:Error.Count");
        Assert.Equal(new object[] { 1, 2 }, quiet.Output.Select(o => o.BaseObject)); // only our two not-found errors
        Assert.Empty(quiet.Verbose);
        Assert.DoesNotContain("reading", Ps.Host.Text);
        var loud = Ps.Run("Get-CfVaultCredential Ops -Verbose");
        Assert.Contains(loud.Verbose, v => v.Message.StartsWith("Get-Secret: reading LOUD__", StringComparison.Ordinal));
        Assert.DoesNotContain("VERBOSE: reading", Ps.Host.Text); // only ever as our own line, "Get-Secret: reading ..."
        Assert.Contains(loud.Information, i => i.MessageData?.ToString() == "vault says hi" && i.Source == "Get-Secret"); // relayed, as ours
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "Get-CfVaultCredential -Vault Nowhere", "VaultNotFound" },
        { "Set-CfVaultCredential -Vault Nowhere -Name CF_X -Revoked", "VaultNotFound" },
        { "Remove-CfVaultCredential -Vault Nowhere -Name CF_X -Confirm:$false", "VaultNotFound" },
        { "Get-CfVaultCredential -Vault ' '", "InvalidName" },
        { "Get-CfVaultCredential -Vault Ops -Name ' '", "InvalidName" },
        { "Get-CfVaultCredential -Vault Ops -Name 'CF_[X'", "InvalidWildcardPattern" },
        { "Set-CfVaultCredential -Vault Ops -Name ' ' -Revoked", "InvalidName" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X__TOKEN_ID -Revoked", "VaultCompanionName" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X__expires_at -Revoked", "VaultCompanionName" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked:$false", "VaultChangeRequired" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked -Reason 'cfut_abcdefghijklmnopqrstuvwxyz012345'", "InvalidRevokedReason" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked -Reason \"two`nlines\"", "InvalidRevokedReason" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked -Reason ' '", "InvalidRevokedReason" },
        { "Set-CfVaultCredential -Vault Ops -Name CF_NONE -Revoked", "VaultCredentialNotFound" },
        { "Remove-CfVaultCredential -Vault Ops -Name CF_X__SCOPES -Confirm:$false", "VaultCompanionName" },
        { "Remove-CfVaultCredential -Vault ' ' -Name CF_X -Confirm:$false", "InvalidName" },
        { "Remove-CfVaultCredential -Vault Ops -Name CF_NONE -Confirm:$false", "VaultCredentialNotFound" },
        { "Remove-Item function:Get-SecretInfo; Get-CfVaultCredential -Vault Ops", "SecretManagementUnavailable" },
        { "Remove-Item function:Set-Secret; Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked", "SecretManagementUnavailable" },
        { "Remove-Item function:Remove-Secret; Remove-CfVaultCredential -Vault Ops -Name CF_X -Confirm:$false", "SecretManagementUnavailable" },
        { "$global:CvFailList = $true; Get-CfVaultCredential -Vault Ops", "VaultReadFailed" },
        { "$global:CvFailWrite = 'CF_X'; Set-CfVaultCredential -Vault Ops -Name CF_X -Revoked", "VaultWriteFailed" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Bad_input_and_vault_faults_have_their_ErrorIds_and_change_nothing(string script, string errorId)
    {
        Install();
        WithMetadata("CF_X", Days(20));
        ConventionVault.ResetCounters(Ps);
        var result = Ps.Run(script);
        result.AssertFailedWith(script, errorId);
        var error = result.AllErrors.First();
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction), script);
        Assert.Empty(ConventionVault.Writes(Ps));
        Assert.Empty(ConventionVault.Removes(Ps));
        Assert.Equal(PsSession.Secure(Value).Length, ((System.Security.SecureString)ConventionVault.Secret(Ps, "CF_X")!).Length);
        if (errorId is "VaultNotFound" or "InvalidName" or "InvalidWildcardPattern" or "VaultCompanionName" or "VaultChangeRequired" or "InvalidRevokedReason" or "SecretManagementUnavailable")
            Assert.Equal(0, ConventionVault.Listings(Ps)); // refused before the vault was touched
        SecretAssert.NotLeaked(result, "abcdefghijklmnopqrstuvwxyz012345");
    }
}
