using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Runs every command with -Verbose -Debug, on success and failure paths, and proves no token value appears in
/// any stream, error, exception, rendered view or object property.
/// </summary>
public class SecretLeakTests : CmdletTestBase
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public void No_command_leaks_a_token_value()
    {
        var (_, other) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "other", [Emulator.State.PermissionGroupId("DNS Read")]);
        var bogus = "cfut_" + new string('z', 40);
        var secrets = new[] { AdminToken, Emulator.State.AccountTokenValue, other, bogus };
        Ps.Set("t", PsSession.Secure(AdminToken));
        Ps.Set("at", PsSession.Secure(Emulator.State.AccountTokenValue));
        Ps.Set("o", PsSession.Secure(other));
        Ps.Set("bad", PsSession.Secure(bogus));

        var scripts = new[]
        {
            "Connect-CfAccount -ApiToken $bad -ApiBaseUri $ApiBaseUri -Verbose -Debug",
            "Connect-CfAccount -ApiToken $at -ApiBaseUri $ApiBaseUri -Verbose -Debug",
            "Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId -Verbose -Debug",
            "Get-CfSession -Verbose -Debug; Get-CfSession | Select-Object *",
            "Get-CfToken -Verbose -Debug",
            "Get-CfToken -Scope Account -Verbose -Debug",
            "Get-CfToken -Name nothing-here -Verbose -Debug",
            "Get-CfToken -Id 0123456789abcdef0123456789abcdef -Verbose -Debug",
            "Test-CfToken -Verbose -Debug",
            "Test-CfToken -Token $o -Verbose -Debug",
            "Test-CfToken -Token $bad -Verbose -Debug",
            "$at | Test-CfToken -Verbose -Debug",
            "Get-CfPermissionGroup -Name 'DNS*' -Verbose -Debug",
            "Get-CfPermissionGroup -Name 'No Such Group' -Verbose -Debug",
            "Disconnect-CfAccount -Verbose -Debug",
        };
        foreach (var script in scripts)
        {
            var result = Ps.Run(Preferences + script);
            SecretAssert.NotLeaked(result, secrets);
        }

        // Rendered through the format views too.
        Ps.Run("Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId").AssertNoErrors();
        var rendered = Ps.Render("Get-CfSession; Get-CfToken; Test-CfToken");
        foreach (var s in secrets) Assert.DoesNotContain(s[5..], rendered);
    }

    [Fact]
    public void Failures_on_the_wire_do_not_leak_either()
    {
        Ps.Set("t", PsSession.Secure(AdminToken));
        Ps.Run("Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId -MaxRetryCount 0").AssertNoErrors();
        foreach (var kind in new[] { CfManagement.Emulator.FaultKind.Status, CfManagement.Emulator.FaultKind.RateLimit, CfManagement.Emulator.FaultKind.Reset })
        {
            Emulator.Faults.Clear();
            Emulator.Faults.Add(new CfManagement.Emulator.FaultRule { Kind = kind, Times = -1, StatusCode = 500, RetryAfterSeconds = 1 });
            var result = Ps.Run(Preferences + "Get-CfToken -Verbose -Debug; Test-CfToken -Verbose -Debug");
            Assert.NotEmpty(result.AllErrors);
            SecretAssert.NotLeaked(result, AdminToken);
        }
    }

    [Fact]
    public void The_leak_assertion_itself_catches_a_leak()
    {
        var result = Ps.Run("'value: ' + $args[0]", args: [AdminToken]);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SecretAssert.NotLeaked(result, AdminToken));
    }
}
