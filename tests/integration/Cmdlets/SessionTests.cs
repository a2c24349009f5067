using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class SessionTests : CmdletTestBase
{
    [Fact]
    public void Connect_with_a_user_token_verifies_it_and_adopts_the_only_account()
    {
        var result = Connect(withAccount: false);
        result.AssertNoErrors();
        dynamic session = result.Output.Single();
        Assert.Equal("User", session.TokenScope.ToString());
        Assert.Equal(Emulator.State.AdminTokenId, (string)session.TokenId);
        Assert.Equal("active", (string)session.TokenStatus);
        Assert.Equal(Emulator.State.AccountId, (string)session.AccountId);
        Assert.Contains(Emulator.Requests, r => r.Path.EndsWith("/user/tokens/verify"));
        Assert.Same(result.Output.Single().BaseObject, Ps.Run("Get-CfSession").Output.Single().BaseObject);
    }

    [Fact]
    public void Connect_with_an_account_token_uses_the_account_verify_endpoint()
    {
        var result = Connect(Emulator.State.AccountTokenValue);
        result.AssertNoErrors();
        dynamic session = result.Output.Single();
        Assert.Equal("Account", session.TokenScope.ToString());
        Assert.Equal(Emulator.State.AccountTokenId, (string)session.TokenId);
        Assert.DoesNotContain(Emulator.Requests, r => r.Path.EndsWith("/user/tokens/verify"));
    }

    [Fact]
    public void Connect_with_an_account_token_and_no_account_id_fails_before_any_request()
    {
        var result = Connect(Emulator.State.AccountTokenValue, withAccount: false);
        var error = result.SingleError();
        Assert.StartsWith("AccountIdRequired,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-AccountId", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void A_legacy_unprefixed_account_token_falls_back_to_the_account_verify_endpoint()
    {
        var (id, value) = Emulator.State.AddAccountToken(Emulator.State.AdminUserEmail, "legacy-account", Emulator.State.AccountTokenPermissionGroupIds, legacyFormat: true);
        Assert.DoesNotContain("_", value[..5]);
        var result = Connect(value);
        result.AssertNoErrors();
        dynamic session = result.Output.Single();
        Assert.Equal(id, (string)session.TokenId);
        Assert.Equal("Account", session.TokenScope.ToString());
        Assert.Contains(Emulator.Requests, r => r.Path.EndsWith("/user/tokens/verify"));
        Assert.Contains(Emulator.Requests, r => r.Path.EndsWith($"/accounts/{Emulator.State.AccountId}/tokens/verify"));
    }

    [Fact]
    public void An_unknown_token_is_an_authentication_error_with_cloudflares_code()
    {
        var result = Connect("cfut_" + new string('x', 40));
        var error = result.SingleError();
        Assert.StartsWith("ApiAuthenticationFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("9109", error.ErrorDetails.Message);
        Assert.Null(Ps.Run("Get-CfSession").Output.SingleOrDefault());
    }

    [Fact]
    public void A_disabled_token_is_refused_on_connect()
    {
        var (_, value) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "disabled-one", Emulator.State.AdminTokenPermissionGroupIds, status: "disabled");
        var error = Connect(value).SingleError();
        Assert.StartsWith("TokenNotActive,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Sessions_belong_to_their_runspace()
    {
        ConnectOrFail();
        using var other = new PsSession();
        Assert.Empty(other.Run("Get-CfSession").Output);
        // An explicit -Session works across runspaces.
        other.Set("s", Ps.Run("Get-CfSession").Output.Single());
        var tokens = other.Run("Get-CfToken -Session $s");
        tokens.AssertNoErrors();
        Assert.NotEmpty(tokens.Output);
    }

    [Fact]
    public void A_disposed_session_passed_explicitly_is_reported()
    {
        ConnectOrFail();
        var result = Ps.Run("$s = Get-CfSession; Disconnect-CfAccount; Get-CfToken -Session $s");
        Assert.StartsWith("SessionDisposed,", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void Reconnecting_replaces_the_current_session_and_keeps_the_previous_one_usable()
    {
        ConnectOrFail();
        Ps.Run("$first = Get-CfSession").AssertNoErrors();
        var first = Ps.Run("$first").Output.Single().BaseObject;
        ConnectOrFail(Emulator.State.AccountTokenValue);
        Assert.False((bool)first.GetType().GetProperty("IsDisposed")!.GetValue(first)!);
        Assert.NotSame(first, Ps.Run("Get-CfSession").Output.Single().BaseObject);
        var verified = Ps.Run("(Test-CfToken -Session $first).Id");
        verified.AssertNoErrors();
        Assert.Equal(Emulator.State.AdminTokenId, (string)verified.Output.Single().BaseObject);
    }
}

/// <summary>Environment variables are process-wide, so these tests never run beside others that read them.</summary>
[Collection(EnvironmentCollection.Name)]
public class SessionEnvironmentTests : CmdletTestBase
{
    [Fact]
    public void FromEnvironment_reads_the_wrangler_variables()
    {
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", AdminToken), ("CLOUDFLARE_ACCOUNT_ID", Emulator.State.AccountId),
            ("CLOUDFLARE_API_BASE_URL", Emulator.BaseUri.ToString()));
        var result = Ps.Run("Connect-CfAccount -FromEnvironment");
        result.AssertNoErrors();
        dynamic session = result.Output.Single();
        Assert.Equal("Environment", (string)session.Source);
        Assert.Equal(Emulator.State.AccountId, (string)session.AccountId);
    }

    [Fact]
    public void FromEnvironment_without_the_variable_names_it()
    {
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", null));
        var error = Ps.Run("Connect-CfAccount -FromEnvironment -ApiBaseUri $ApiBaseUri").SingleError();
        Assert.StartsWith("MissingApiToken,", error.FullyQualifiedErrorId);
        Assert.Contains("CLOUDFLARE_API_TOKEN", error.ErrorDetails.Message);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void Session_cmdlets_connect_implicitly_from_the_environment()
    {
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", AdminToken), ("CLOUDFLARE_ACCOUNT_ID", null),
            ("CLOUDFLARE_API_BASE_URL", Emulator.BaseUri.ToString()));
        var result = Ps.Run("Get-CfToken -Name admin-manager");
        result.AssertNoErrors();
        Assert.Single(result.Output);
        Assert.Single(Ps.Run("Get-CfSession").Output);
    }

    [Fact]
    public void Disconnect_forgets_the_session_and_later_commands_say_how_to_connect()
    {
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", null));
        ConnectOrFail();
        Ps.Run("Disconnect-CfAccount").AssertNoErrors();
        Assert.Empty(Ps.Run("Get-CfSession").Output);
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-CfAccount", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Not_connected_without_environment_is_a_clear_error()
    {
        using var env = new EnvironmentScope(("CLOUDFLARE_API_TOKEN", null));
        var error = Ps.Run("Test-CfToken").SingleError();
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId);
        Assert.Empty(Emulator.Requests);
    }
}
