using System.Net.Http.Headers;
using System.Text;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// -GitHubEnv / -GitHubOutput (github:NAME, github-output:NAME) in a simulated GitHub Actions step: GITHUB_ACTIONS=true,
/// GITHUB_ENV and GITHUB_OUTPUT pointing at temp files, and Console.Out captured as the runner's stdout. The value lands
/// in the file as a heredoc entry, its ::add-mask:: command reaches stdout only, and it is in no PowerShell stream.
/// Environment variables and Console.Out are restored after each test (the collection runs alone).
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class GitHubActionsDestinationTests : CmdletTestBase, IDisposable
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";
    private readonly GitHubActionsStep _step;

    // After the base constructor (emulator, runspace), as before: the step's environment applies to what the test runs.
    public GitHubActionsDestinationTests() => _step = new GitHubActionsStep("gha-int-");

    public void Dispose() => _step.Dispose();

    /// <summary>True when the emulator accepts the value as a live token (user- or account-owned).</summary>
    private async Task<bool> IsLiveToken(string value)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", value);
        var root = Emulator.BaseUri.ToString().TrimEnd('/');
        foreach (var path in new[] { "/user/tokens/verify", $"/accounts/{Emulator.State.AccountId}/tokens/verify" })
            if ((await http.GetAsync(root + path)).IsSuccessStatusCode) return true;
        return false;
    }

    private void AssertNotInLedger(string value)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { LedgerPath, LedgerPath + "-wal" })
            if (File.Exists(file))
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var reader = new StreamReader(stream, Encoding.Latin1))
                    text.Append(reader.ReadToEnd());
        Assert.True(text.Length > 0, "the ledger was written");
        Assert.DoesNotContain(value, text.ToString());
    }

    [Fact]
    public async Task New_CfManagedToken_appends_to_GITHUB_ENV_after_masking_on_stdout_and_leaks_nowhere_else()
    {
        ConnectOrFail();
        var result = Ps.Run(Preferences + $"New-CfManagedToken -Name gha-deploy -Purpose 'CI deploys' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -GitHubEnv CF_API_TOKEN -LedgerPath '{LedgerPath}' -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("mint into GITHUB_ENV", 1);

        Assert.StartsWith("EARLIER_STEP=kept\n", File.ReadAllText(_step.EnvFile)); // appended, never truncated
        var entry = Assert.Single(GitHubActionsStep.Entries(_step.EnvFile));
        Assert.Equal("CF_API_TOKEN", entry.Name);
        Assert.Matches("^ghadelimiter_[0-9a-f-]{36}$", entry.Delimiter);
        Assert.True(await IsLiveToken(entry.Value), "the file holds the minted token's value");
        Assert.Empty(File.ReadAllText(_step.OutputFile));

        Assert.Contains($"::add-mask::{entry.Value}\n", _step.Stdout);
        var minted = Assert.Single(result.Output);
        Assert.Equal(["github:CF_API_TOKEN"], ((System.Collections.IEnumerable)minted.Properties["Destinations"].Value).Cast<object>().Select(d => d.ToString()));
        Assert.Null(minted.Properties["Value"].Value); // delivered, so not returned
        SecretAssert.NotLeaked(result, entry.Value, AdminToken);
        Assert.DoesNotContain(entry.Value, result.HostText);
        AssertNotInLedger(entry.Value);
    }

    [Fact]
    public async Task Invoke_CfTokenRoll_writes_the_new_value_to_GITHUB_OUTPUT()
    {
        ConnectOrFail();
        Ps.Run($"New-CfManagedToken -Name gha-roll -Purpose 'CI' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -GitHubEnv OLD_VALUE -LedgerPath '{LedgerPath}' -Confirm:$false")
            .AssertSucceeded("mint", 1);
        var old = Assert.Single(GitHubActionsStep.Entries(_step.EnvFile)).Value;

        // -Debug raises warnings to Inquire; the roll must still deliver in a host that cannot prompt.
        var result = Ps.Run(Preferences + $"Invoke-CfTokenRoll -Name gha-roll -GitHubOutput ROLLED_TOKEN -LedgerPath '{LedgerPath}' -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("roll into GITHUB_OUTPUT", 1);

        var entry = Assert.Single(GitHubActionsStep.Entries(_step.OutputFile));
        Assert.Equal("ROLLED_TOKEN", entry.Name);
        Assert.NotEqual(old, entry.Value);
        Assert.True(await IsLiveToken(entry.Value), "the output holds the rolled value");
        Assert.False(await IsLiveToken(old), "the roll killed the old value");
        Assert.Contains($"::add-mask::{entry.Value}\n", _step.Stdout);
        SecretAssert.NotLeaked(result, entry.Value, old, AdminToken);
        Assert.DoesNotContain(entry.Value, result.HostText);
        Assert.Single(GitHubActionsStep.Entries(_step.EnvFile)); // the env file was not touched by the roll
    }

    [Theory]
    [InlineData(null, "-GitHubEnv CF_API_TOKEN", "GitHubActionsRequired")]
    [InlineData("false", "-GitHubEnv CF_API_TOKEN", "GitHubActionsRequired")]
    [InlineData("true", "-GitHubOutput CF_API_TOKEN -NoOutputFile", "GitHubActionsRequired")]
    [InlineData("true", "-GitHubEnv CF-API-TOKEN", "InvalidSecretName")]
    [InlineData("true", "-GitHubEnv GITHUB_TOKEN", "InvalidSecretName")]
    public void Refused_before_any_request(string? actions, string destination, string errorId)
    {
        ConnectOrFail();
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", actions);
        if (destination.EndsWith("-NoOutputFile", StringComparison.Ordinal))
        {
            Environment.SetEnvironmentVariable("GITHUB_OUTPUT", null);
            destination = destination.Replace(" -NoOutputFile", "");
        }
        var before = RequestCount();
        foreach (var script in new[]
                 {
                     $"New-CfManagedToken -Name gha-refused -Purpose 'CI' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 {destination} -LedgerPath '{LedgerPath}' -Confirm:$false",
                     $"Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef {destination} -Confirm:$false",
                     $"Repair-CfToken -Id 0123456789abcdef0123456789abcdef -AddPermissionGroup 'DNS Write' -Reissue {destination} -Confirm:$false",
                 })
        {
            var error = Ps.Run(script).SingleError();
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.NotNull(error.ErrorDetails?.RecommendedAction);
        }
        Assert.Equal(before, RequestCount());
        Assert.DoesNotContain("::add-mask::", _step.Stdout);
        Assert.Equal("EARLIER_STEP=kept\n", File.ReadAllText(_step.EnvFile));
    }
}
