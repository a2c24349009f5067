using CfManagement.Emulator;
using CfManagement.Tests.Cmdlets.Access;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// -GitHubEnv / -GitHubOutput on the commands that create a credential: New-CfToken (an API token) and the Access
/// service-token commands (the client secret only). A simulated Actions step as in GitHubActionsDestinationTests:
/// GITHUB_ACTIONS=true, GITHUB_ENV / GITHUB_OUTPUT at temp files, Console.Out captured as the runner's stdout.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class NewTokenGitHubActionsTests : CmdletTestBase, IDisposable
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";
    private readonly GitHubActionsStep _step;

    // After the base constructor (emulator, runspace), as before: the step's environment applies to what the test runs.
    public NewTokenGitHubActionsTests() => _step = new GitHubActionsStep("gha-new-");

    public void Dispose() => _step.Dispose();

    private bool TokenExists(string name) => Emulator.State.AllTokens.Any(t => t.Name == name);

    [Fact]
    public void New_CfToken_GitHubEnv_masks_then_appends_and_returns_metadata_only()
    {
        ConnectOrFail();
        var result = Ps.Run(Preferences + "New-CfToken -Name gha-new -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -GitHubEnv CF_API_TOKEN -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("create into GITHUB_ENV", 1);

        Assert.StartsWith("EARLIER_STEP=kept\n", File.ReadAllText(_step.EnvFile));
        var entry = Assert.Single(GitHubActionsStep.Entries(_step.EnvFile));
        Assert.Equal("CF_API_TOKEN", entry.Name);
        Assert.Matches("^ghadelimiter_[0-9a-f-]{36}$", entry.Delimiter);
        Assert.True(Emulator.State.IsValueLive(entry.Value));
        Assert.Contains($"::add-mask::{entry.Value}\n", _step.Stdout);
        Assert.Equal("CfManagement.Model.CfToken", Assert.Single(result.Output).BaseObject.GetType().FullName);
        SecretAssert.NotLeaked(result, entry.Value, AdminToken);
        Assert.DoesNotContain(entry.Value, result.HostText);
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "store" && e.Destination == "github:CF_API_TOKEN");
    }

    [Fact]
    public void New_CfToken_GitHubOutput_writes_the_step_output()
    {
        ConnectOrFail();
        Ps.Run("New-CfToken -Name gha-out -PermissionGroup 'DNS Read' -AllZones -GitHubOutput DEPLOY_TOKEN -Confirm:$false").AssertSucceeded("create into GITHUB_OUTPUT", 1);
        var entry = Assert.Single(GitHubActionsStep.Entries(_step.OutputFile));
        Assert.Equal("DEPLOY_TOKEN", entry.Name);
        Assert.True(Emulator.State.IsValueLive(entry.Value));
        Assert.Empty(GitHubActionsStep.Entries(_step.EnvFile));
    }

    [Fact]
    public void New_CfToken_a_failing_GitHub_file_write_clears_the_entry_already_written_and_deletes_the_token()
    {
        ConnectOrFail();
        // The output file is locked exclusively while the command runs: its append fails every attempt.
        using (new FileStream(_step.OutputFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Ps.Run("New-CfToken -Name gha-fail -PermissionGroup 'DNS Read' -AllZones -GitHubEnv CF_API_TOKEN -GitHubOutput CF_API_TOKEN -Confirm:$false").SingleError();
            Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        }
        Assert.False(TokenExists("gha-fail"));
        var entries = GitHubActionsStep.Entries(_step.EnvFile);
        Assert.Equal(2, entries.Count);
        Assert.Equal(("CF_API_TOKEN", ""), (entries[1].Name, entries[1].Value)); // the runner applies the last entry: empty
        Assert.False(Emulator.State.IsValueLive(entries[0].Value), "the value written first belongs to the deleted token");
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "unstore" && e.Destination == "github:CF_API_TOKEN");
    }

    [Theory]
    [InlineData(null, "-GitHubEnv CF_X", "GitHubActionsRequired")]
    [InlineData("false", "-GitHubOutput CF_X", "GitHubActionsRequired")]
    [InlineData("true", "-GitHubEnv CF-X", "InvalidSecretName")]
    [InlineData("true", "-GitHubEnv RUNNER_TEMP", "InvalidSecretName")]
    [InlineData("true", "-GitHubOutput '9LIVES'", "InvalidSecretName")]
    public void Refused_before_any_request(string? actions, string destination, string errorId)
    {
        ConnectOrFail();
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", actions);
        var before = Emulator.Requests.Count;
        foreach (var script in new[]
                 {
                     $"New-CfToken -Name gha-refused -PermissionGroup 'DNS Read' -AllZones {destination} -Confirm:$false",
                     $"New-CfAccessServiceToken -Name gha-refused {destination} -Confirm:$false",
                     $"Invoke-CfAccessServiceTokenRotate -Id 0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b {destination} -Confirm:$false",
                     $"New-CfManagedToken -AccessServiceToken -Name gha-refused -Purpose 'CI' -Ttl 1:00:00 {destination} -Confirm:$false",
                 })
        {
            var error = Ps.Run(script).SingleError();
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.NotNull(error.ErrorDetails?.RecommendedAction);
        }
        Assert.Equal(before, Emulator.Requests.Count);
        Assert.DoesNotContain("::add-mask::", _step.Stdout);
        Assert.Equal("EARLIER_STEP=kept\n", File.ReadAllText(_step.EnvFile));
    }

    // ---- Access service tokens: the client secret only ----

    [Fact]
    public void New_CfAccessServiceToken_GitHubEnv_writes_the_masked_client_secret_only()
    {
        ConnectOrFail();
        var result = Ps.Run(Preferences + "New-CfAccessServiceToken -Name gha-access -GitHubEnv CI_ACCESS_SECRET -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("create into GITHUB_ENV", 1);
        var credential = Assert.Single(result.Access());
        Assert.Equal("github:CI_ACCESS_SECRET", credential.Destination);

        var entry = Assert.Single(GitHubActionsStep.Entries(_step.EnvFile)); // no CI_ACCESS_SECRET_CLIENT_ID: the client id is not written
        Assert.Equal("CI_ACCESS_SECRET", entry.Name);
        Assert.Matches("^ghadelimiter_[0-9a-f-]{36}$", entry.Delimiter);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(credential.ClientId, entry.Value), "the entry is the live client secret");
        Assert.Contains($"::add-mask::{entry.Value}\n", _step.Stdout);
        Assert.DoesNotContain(credential.ClientId, File.ReadAllText(_step.EnvFile));
        SecretAssert.NotLeaked(result, entry.Value, AdminToken);
        Assert.DoesNotContain(entry.Value, result.HostText);
        Assert.DoesNotContain(LedgerReader.Entries(LedgerPath), e => e.ToString().Contains(entry.Value));
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "store" && e.Destination == "github:CI_ACCESS_SECRET");
    }

    [Fact]
    public void Invoke_CfAccessServiceTokenRotate_GitHubOutput_writes_the_new_client_secret()
    {
        ConnectOrFail();
        var created = Assert.Single(Ps.Run("New-CfAccessServiceToken -Name gha-rotate -AsPlainText -Confirm:$false").Access());
        var old = (string)created.ClientSecret!;
        var result = Ps.Run(Preferences + "Invoke-CfAccessServiceTokenRotate -Name gha-rotate -GitHubOutput ROTATED_SECRET -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("rotate into GITHUB_OUTPUT", 1);
        var entry = Assert.Single(GitHubActionsStep.Entries(_step.OutputFile));
        Assert.Equal("ROTATED_SECRET", entry.Name);
        Assert.NotEqual(old, entry.Value);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, entry.Value));
        Assert.False(Emulator.State.IsAccessServiceTokenSecretLive(created.ClientId, old), "the old secret died with the rotation");
        Assert.Contains($"::add-mask::{entry.Value}\n", _step.Stdout);
        SecretAssert.NotLeaked(result, entry.Value, old, AdminToken);
        Assert.Empty(GitHubActionsStep.Entries(_step.EnvFile));
    }

    [Fact]
    public void New_CfManagedToken_AccessServiceToken_GitHubEnv_writes_the_client_secret()
    {
        ConnectOrFail();
        var result = Ps.Run("New-CfManagedToken -AccessServiceToken -Name gha-managed -Purpose 'CI pulls' -Ttl 1:00:00 -GitHubEnv CI_PULL_SECRET -Confirm:$false");
        result.AssertSucceeded("mint into GITHUB_ENV", 1);
        var clientId = Emulator.State.AccessServiceTokenNames.Contains("gha-managed")
            ? (string)Ps.Run("(Get-CfAccessServiceToken -Name gha-managed).ClientId").Output.Single().BaseObject
            : throw new Xunit.Sdk.XunitException("the managed Access token was not created");
        var entry = Assert.Single(GitHubActionsStep.Entries(_step.EnvFile));
        Assert.Equal("CI_PULL_SECRET", entry.Name);
        Assert.True(Emulator.State.IsAccessServiceTokenSecretLive(clientId, entry.Value));
        Assert.Null(result.Output.Single().Properties["Value"].Value); // delivered, so not returned
        SecretAssert.NotLeaked(result, entry.Value);
    }

    [Fact]
    public void New_CfAccessServiceToken_a_failing_GitHub_write_clears_the_entry_already_written_and_deletes_the_token()
    {
        ConnectOrFail();
        using (new FileStream(_step.OutputFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Ps.Run("New-CfAccessServiceToken -Name gha-access-fail -GitHubEnv CI_SECRET -GitHubOutput CI_SECRET -Confirm:$false").SingleError();
            Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
            Assert.Contains("github-output:CI_SECRET", error.ErrorDetails.Message);
        }
        Assert.DoesNotContain("gha-access-fail", Emulator.State.AccessServiceTokenNames);
        var entries = GitHubActionsStep.Entries(_step.EnvFile);
        Assert.Equal(2, entries.Count);
        Assert.Equal(("CI_SECRET", ""), (entries[1].Name, entries[1].Value)); // the runner applies the last entry: empty
        Assert.NotEqual("", entries[0].Value);
        Assert.Contains(LedgerReader.Entries(LedgerPath), e => e.Action == "unstore" && e.Destination == "github:CI_SECRET");
    }
}
