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

        // Each command with what it must do: succeed with output, succeed quietly (0), or fail with a named error.
        // A command that fails for another reason (binding, a typo) would leak nothing and prove nothing.
        var scripts = new (string Script, string? ErrorId, int MinOutput)[]
        {
            ("Connect-CfAccount -ApiToken $bad -ApiBaseUri $ApiBaseUri -Verbose -Debug", "ApiAuthenticationFailed", 0),
            ("Connect-CfAccount -ApiToken $at -ApiBaseUri $ApiBaseUri -Verbose -Debug", "AccountIdRequired", 0),
            ("Connect-CfAccount -ApiToken $at -ApiBaseUri $ApiBaseUri -AccountId $AccountId -Verbose -Debug", null, 0),
            ("Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId -Verbose -Debug", null, 0),
            ("Get-CfSession -Verbose -Debug; Get-CfSession | Select-Object *", null, 2),
            ("Get-CfToken -Verbose -Debug", null, 1),
            ("Get-CfToken -Scope Account -Verbose -Debug", null, 1),
            ("Get-CfToken -Name nothing-here -Verbose -Debug", "TokenNotFound", 0),
            ("Get-CfToken -Id 0123456789abcdef0123456789abcdef -Verbose -Debug", "TokenNotFound", 0),
            ("Test-CfToken -Verbose -Debug", null, 1),
            ("Test-CfToken -Token $o -Verbose -Debug", null, 1),
            ("Test-CfToken -Token $bad -Verbose -Debug", null, 1),
            ("$at | Test-CfToken -Verbose -Debug", null, 1),
            ("Get-CfPermissionGroup -Name 'DNS*' -Verbose -Debug", null, 1),
            ("Get-CfPermissionGroup -Name 'No Such Group' -Verbose -Debug", "PermissionGroupNotFound", 0),
            ("Disconnect-CfAccount -Verbose -Debug", null, 0),
        };
        foreach (var (script, errorId, minOutput) in scripts)
        {
            var result = Ps.Run(Preferences + script);
            if (errorId == null) result.AssertSucceeded(script, minOutput);
            else result.AssertFailedWith(script, errorId);
            SecretAssert.NotLeaked(result, secrets);
        }

        // Rendered through the format views too.
        Ps.Run("Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId").AssertNoErrors();
        var rendered = Ps.Render("Get-CfSession; Get-CfToken; Test-CfToken");
        // The views really rendered all three (a render that failed or dropped output would leak nothing).
        foreach (var expected in new[] { "other", "active", Emulator.State.AccountId })
            Assert.True(rendered.Contains(expected), $"'{expected}' not rendered: {rendered}");
        foreach (var s in secrets) Assert.DoesNotContain(s[5..], rendered);
    }

    [Fact]
    public void Failures_on_the_wire_do_not_leak_either()
    {
        Ps.Set("t", PsSession.Secure(AdminToken));
        Ps.Run("Connect-CfAccount -ApiToken $t -ApiBaseUri $ApiBaseUri -AccountId $AccountId -MaxRetryCount 0").AssertNoErrors();
        foreach (var (kind, errorId) in new[]
        {
            (CfManagement.Emulator.FaultKind.Status, "ApiUnavailable"),
            (CfManagement.Emulator.FaultKind.RateLimit, "ApiRateLimited"),
            (CfManagement.Emulator.FaultKind.Reset, "ApiConnectionFailed"),
        })
        {
            Emulator.Faults.Clear();
            Emulator.Faults.Add(new CfManagement.Emulator.FaultRule { Kind = kind, Times = -1, StatusCode = 500, RetryAfterSeconds = 1 });
            var result = Ps.Run(Preferences + "Get-CfToken -Verbose -Debug; Test-CfToken -Verbose -Debug");
            // Each fault must surface as the mapped API error, not as something unrelated (a binding error would leak nothing).
            Assert.Equal(2, result.AllErrors.Count());
            result.AssertFailedWith(kind.ToString(), errorId);
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
