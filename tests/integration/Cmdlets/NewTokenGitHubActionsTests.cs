using System.Text.RegularExpressions;
using CfManagement.Emulator;
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
    private readonly string _folder = Directory.CreateTempSubdirectory("gha-new-").FullName;
    private readonly string _envFile;
    private readonly string _outputFile;
    private readonly EnvironmentScope _environment;
    private readonly TextWriter _originalOut = Console.Out;
    private readonly StringWriter _stdout = new();

    public NewTokenGitHubActionsTests()
    {
        _envFile = Path.Combine(_folder, "set_env");
        _outputFile = Path.Combine(_folder, "set_output");
        File.WriteAllText(_envFile, "EARLIER_STEP=kept\n");
        File.WriteAllText(_outputFile, "");
        _environment = new EnvironmentScope(("GITHUB_ACTIONS", "true"), ("GITHUB_ENV", _envFile), ("GITHUB_OUTPUT", _outputFile));
        Console.SetOut(_stdout);
    }

    public void Dispose()
    {
        Console.SetOut(_originalOut);
        _environment.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static List<(string Name, string Delimiter, string Value)> Entries(string path) =>
        Regex.Matches(File.ReadAllText(path), @"^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)\r?\n(.*?)\r?\n\2\r?\n", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();

    private bool TokenExists(string name) => Emulator.State.AllTokens.Any(t => t.Name == name);

    [Fact]
    public void New_CfToken_GitHubEnv_masks_then_appends_and_returns_metadata_only()
    {
        ConnectOrFail();
        var result = Ps.Run(Preferences + "New-CfToken -Name gha-new -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -GitHubEnv CF_API_TOKEN -Confirm:$false -Verbose -Debug");
        result.AssertSucceeded("create into GITHUB_ENV", 1);

        Assert.StartsWith("EARLIER_STEP=kept\n", File.ReadAllText(_envFile));
        var entry = Assert.Single(Entries(_envFile));
        Assert.Equal("CF_API_TOKEN", entry.Name);
        Assert.Matches("^ghadelimiter_[0-9a-f-]{36}$", entry.Delimiter);
        Assert.True(Emulator.State.IsValueLive(entry.Value));
        Assert.Contains($"::add-mask::{entry.Value}\n", _stdout.ToString());
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
        var entry = Assert.Single(Entries(_outputFile));
        Assert.Equal("DEPLOY_TOKEN", entry.Name);
        Assert.True(Emulator.State.IsValueLive(entry.Value));
        Assert.Empty(Entries(_envFile));
    }

    [Fact]
    public void New_CfToken_a_failing_GitHub_file_write_clears_the_entry_already_written_and_deletes_the_token()
    {
        ConnectOrFail();
        // The output file is locked exclusively while the command runs: its append fails every attempt.
        using (new FileStream(_outputFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Ps.Run("New-CfToken -Name gha-fail -PermissionGroup 'DNS Read' -AllZones -GitHubEnv CF_API_TOKEN -GitHubOutput CF_API_TOKEN -Confirm:$false").SingleError();
            Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        }
        Assert.False(TokenExists("gha-fail"));
        var entries = Entries(_envFile);
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
                 })
        {
            var error = Ps.Run(script).SingleError();
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.NotNull(error.ErrorDetails?.RecommendedAction);
        }
        Assert.Equal(before, Emulator.Requests.Count);
        Assert.DoesNotContain("::add-mask::", _stdout.ToString());
        Assert.Equal("EARLIER_STEP=kept\n", File.ReadAllText(_envFile));
    }
}
