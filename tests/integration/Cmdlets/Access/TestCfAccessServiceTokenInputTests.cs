using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// Test-CfAccessServiceToken refuses bad input before anything leaves the machine: each case has its ErrorId, names
/// the parameter and the fix, and neither the URL (a loopback listener counting connections) nor the Cloudflare API
/// (the emulator's request log) sees a request. Also: no answer is Unreachable (closed port, timeout), not an error.
/// </summary>
public class TestCfAccessServiceTokenInputTests : CmdletTestBase
{
    private const string Secret = "5e1f0c2d3b4a59687f6e5d4c3b2a19080f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string ClientId = "0123456789abcdef0123456789abcdef.access";

    public static TheoryData<string, string[]> Cases => new()
    {
        // {url} is the counting listener's http:// URL; $s a valid SecureString secret.
        { "Test-CfAccessServiceToken -Uri '{url}' -ClientId '" + ClientId + "' -ClientSecret $s", ["InsecureUri"] },
        { "Test-CfAccessServiceToken -Uri 'not a url' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri '' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri '/health' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri 'ftp://127.0.0.1/' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri 'https://user:pw@127.0.0.1/' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri 'https://' -ClientId '" + ClientId + "' -ClientSecret $s", ["InvalidUri"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientSecret $s", ["MissingClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '   ' -ClientSecret $s", ["MissingClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId 'two words' -ClientSecret $s", ["InvalidClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId \"id`r`nX-Injected: 1\" -ClientSecret $s", ["InvalidClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId ('a' * 201) -ClientSecret $s", ["InvalidClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "'", ["MissingClientSecret"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "' -ClientSecret (New-Object securestring)", ["MissingClientSecret"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "' -ClientSecret $sWithNewline", ["InvalidClientSecret"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "' -ClientSecret $s -TimeoutSec -1", ["InvalidTimeout"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "' -ClientSecret $s -TimeoutSec 0", ["InvalidTimeout"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -ClientId '" + ClientId + "' -ClientSecret $s -TimeoutSec 601", ["InvalidTimeout"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -ClientSecret $s -TimeoutSec -5", ["InsecureUri", "InvalidTimeout", "MissingClientId"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault ' ' -SecretName ci", ["InvalidName"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName ' '", ["InvalidSecretName"] },
        { "Test-CfAccessServiceToken -Uri '{url}' -Vault Ops -SecretName ci", ["InsecureUri"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_before_any_request(string script, string[] errorIds)
    {
        using var origin = new LoopbackListener();
        Ps.Set("s", PsSession.Secure(Secret));
        Ps.Set("sWithNewline", PsSession.Secure(Secret + "\n"));
        var result = Ps.Run(script.Replace("{url}", origin.HttpUrl));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(errorIds, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        foreach (var error in result.Errors)
        {
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.SecurityError });
            Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
            Assert.Contains("-", error.ErrorDetails!.Message); // names the parameter (-Uri, -TimeoutSec, ...) or the header it fills
        }
        SecretAssert.NotLeaked(result, Secret);
        Thread.Sleep(50);
        Assert.Equal(0, origin.Connections);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void The_vault_cases_are_refused_before_any_request_too()
    {
        using var origin = new LoopbackListener();
        var url = origin.HttpUrl;
        // No SecretManagement in this runspace.
        var unavailable = Ps.Run($"Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName ci");
        Assert.Equal("SecretManagementUnavailable", unavailable.SingleError().FullyQualifiedErrorId.Split(',')[0]);

        AccessVaultFunctions.Install(Ps);
        var missing = Ps.Run($"Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName nosuch");
        var notFound = missing.SingleError();
        Assert.Equal("AccessSecretNotFound", notFound.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, notFound.CategoryInfo.Category);
        Assert.Contains("nosuch", notFound.ErrorDetails!.Message);

        Ps.Set("orphan", PsSession.Secure(Secret));
        Ps.Run("Set-TestAccessSecret -Vault Ops -Name orphan -Secret $orphan").AssertNoErrors();
        var noId = Ps.Run($"Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName orphan");
        var noIdError = noId.SingleError();
        Assert.Equal("MissingClientId", noIdError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("orphan__CLIENT_ID", noIdError.ErrorDetails!.Message);

        foreach (var result in new[] { unavailable, missing, noId })
        {
            Assert.Empty(result.Output);
            SecretAssert.NotLeaked(result, Secret);
        }
        // Nothing the vault reads leave behind in $Error but our own errors.
        Thread.Sleep(50);
        Assert.Equal(0, origin.Connections);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void A_closed_port_is_Unreachable_not_an_error()
    {
        Ps.Set("s", PsSession.Secure(Secret));
        var port = LoopbackListener.ClosedPort();
        var result = Ps.Run($"Test-CfAccessServiceToken -Uri 'http://127.0.0.1:{port}/health' -AllowInsecure -ClientId '{ClientId}' -ClientSecret $s");
        result.AssertNoErrors();
        var verdict = Assert.Single(result.Output).Properties;
        Assert.Equal("Unreachable", verdict["Outcome"].Value.ToString());
        Assert.Null(verdict["StatusCode"].Value);
        Assert.Contains("connection refused", (string)verdict["Reason"].Value);
        Assert.False((bool)verdict["Passed"].Value);
    }

    [Fact]
    public void No_answer_within_TimeoutSec_is_Unreachable_after_about_that_long()
    {
        using var silent = new LoopbackListener();
        Ps.Set("s", PsSession.Secure(Secret));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = Ps.Run($"Test-CfAccessServiceToken -Uri '{silent.HttpUrl}' -AllowInsecure -ClientId '{ClientId}' -ClientSecret $s -TimeoutSec 1");
        watch.Stop();
        result.AssertNoErrors();
        var verdict = Assert.Single(result.Output).Properties;
        Assert.Equal("Unreachable", verdict["Outcome"].Value.ToString());
        Assert.Contains("no answer within 1 s", (string)verdict["Reason"].Value);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
        Assert.Equal(1, silent.Connections);
    }

    [Fact]
    public void A_host_that_does_not_resolve_is_Unreachable()
    {
        Ps.Set("s", PsSession.Secure(Secret));
        var result = Ps.Run($"Test-CfAccessServiceToken -Uri 'https://no-such-host.invalid/' -ClientId '{ClientId}' -ClientSecret $s -TimeoutSec 5 -Quiet");
        result.AssertNoErrors();
        Assert.Equal(false, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Ctrl_C_stops_a_test_waiting_for_an_answer_promptly()
    {
        using var silent = new LoopbackListener();
        Ps.Set("s", PsSession.Secure(Secret));
        AssertCtrlCStopsPromptly($"Test-CfAccessServiceToken -Uri '{silent.HttpUrl}' -AllowInsecure -ClientId '{ClientId}' -ClientSecret $s -TimeoutSec 60", TimeSpan.FromMilliseconds(500));
    }
}
