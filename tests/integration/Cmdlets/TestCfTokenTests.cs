using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class TestCfTokenTests : CmdletTestBase
{
    [Fact]
    public void Without_arguments_it_verifies_the_session_token()
    {
        ConnectOrFail();
        dynamic v = Ps.Run("Test-CfToken").Output.Single();
        Assert.Equal("active", (string)v.Status);
        Assert.True((bool)v.IsActive);
        Assert.Equal(Emulator.State.AdminTokenId, (string)v.Id);
    }

    [Fact]
    public void A_given_value_is_verified_by_its_prefix_and_reports_days_left()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(10).AddHours(1);
        var (id, value) = Emulator.State.AddAccountToken(Emulator.State.AdminUserEmail, "short-lived", [Emulator.State.PermissionGroupId("Workers Scripts Read")], expiresOn: expires);
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure(value));
        var result = Ps.Run("$v | Test-CfToken");
        result.AssertNoErrors();
        dynamic v = result.Output.Single();
        Assert.Equal(id, (string)v.Id);
        Assert.Equal("Account", v.Scope.ToString());
        Assert.Equal(10, (int)v.DaysLeft);
    }

    [Fact]
    public void A_rolled_or_unknown_value_is_reported_invalid_not_thrown()
    {
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure("cfut_" + new string('q', 40)));
        var result = Ps.Run("Test-CfToken -Token $v");
        result.AssertNoErrors();
        dynamic v = result.Output.Single();
        Assert.Equal("invalid", (string)v.Status);
        Assert.False((bool)v.IsActive);
    }

    [Fact]
    public void An_expired_token_is_reported_with_its_status()
    {
        var (_, value) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "old", [Emulator.State.PermissionGroupId("DNS Read")], expiresOn: DateTimeOffset.UtcNow.AddDays(-2));
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure(value));
        dynamic v = Ps.Run("Test-CfToken -Token $v").Output.Single();
        Assert.Equal("expired", (string)v.Status);
        Assert.True((int)v.DaysLeft < 0);
    }
}
