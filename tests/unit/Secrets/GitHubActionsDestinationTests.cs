using CfManagement.Errors;
using CfManagement.Secrets;
using Xunit;

namespace CfManagement.Tests.Secrets;

/// <summary>
/// The destination's checks and its removal (rollback). Only this class touches GITHUB_* in the unit test process,
/// and its tests run one at a time; each restores the variables it set.
/// </summary>
public sealed class GitHubActionsDestinationTests : IDisposable
{
    private static readonly string[] Variables = ["GITHUB_ACTIONS", "GITHUB_ENV", "GITHUB_OUTPUT"];
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _folder = Directory.CreateTempSubdirectory("gha-dest-").FullName;

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_folder, recursive: true);
    }

    private string InActions()
    {
        var env = Path.Combine(_folder, "env");
        var output = Path.Combine(_folder, "output");
        File.WriteAllText(env, "");
        File.WriteAllText(output, "");
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
        Environment.SetEnvironmentVariable("GITHUB_ENV", env);
        Environment.SetEnvironmentVariable("GITHUB_OUTPUT", output);
        return env;
    }

    [Theory]
    [InlineData("CF-API-TOKEN")]
    [InlineData("1TOKEN")]
    [InlineData("A B")]
    [InlineData("")]
    [InlineData("NAME\nX")]
    public void A_name_that_is_not_a_variable_name_is_refused(string name)
    {
        InActions();
        var env = Assert.Single(GitHubActionsDestination.Validate(name, null));
        Assert.Equal(ErrorIds.InvalidSecretName, env.FullyQualifiedErrorId);
        Assert.Contains("-GitHubEnv", env.Exception.Message);
        var output = Assert.Single(GitHubActionsDestination.Validate(null, name));
        Assert.Contains("-GitHubOutput", output.Exception.Message);
    }

    [Fact]
    public void Runner_variables_cannot_be_overwritten_through_GITHUB_ENV()
    {
        InActions();
        Assert.Equal(ErrorIds.InvalidSecretName, Assert.Single(GitHubActionsDestination.Validate("GITHUB_TOKEN", null)).FullyQualifiedErrorId);
        Assert.Empty(GitHubActionsDestination.Validate("CF_API_TOKEN", "GITHUB_TOKEN"));
    }

    [Theory]
    [InlineData(null, "env", "GITHUB_ACTIONS is not 'true'")]
    [InlineData("false", "env", "GITHUB_ACTIONS is not 'true'")]
    [InlineData("true", null, "GITHUB_ENV is not set")]
    [InlineData("true", "missing", "does not exist")]
    public void Outside_an_Actions_step_it_is_refused_naming_the_fix(string? actions, string? envFile, string problem)
    {
        InActions();
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", actions);
        Environment.SetEnvironmentVariable("GITHUB_ENV", envFile == null ? null : Path.Combine(_folder, envFile));
        var error = Assert.Single(GitHubActionsDestination.Validate("CF_API_TOKEN", null));
        Assert.Equal(ErrorIds.GitHubActionsRequired, error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains(problem, error.Exception.Message);
        Assert.Contains("GitHub Actions", error.ErrorDetails.RecommendedAction);
        if (actions == "true") Assert.Empty(GitHubActionsDestination.Validate(null, "CF_API_TOKEN")); // only the env file is missing: GITHUB_OUTPUT is fine
    }

    [Fact]
    public void Remove_appends_the_name_with_an_empty_value()
    {
        var env = InActions();
        File.WriteAllText(env, "CF_API_TOKEN<<d\nrolled-back-value\nd\n");
        new GitHubActionsDestination("CF_API_TOKEN", toOutput: false).Remove(null!);
        var entries = GitHubActionsFileTests.Entries(File.ReadAllText(env));
        Assert.Equal(2, entries.Count);
        Assert.Equal(("CF_API_TOKEN", ""), (entries[1].Name, entries[1].Value)); // the runner applies the last entry
    }

    [Fact]
    public void Remove_does_nothing_and_does_not_throw_outside_Actions_or_when_the_file_is_gone()
    {
        var env = InActions();
        File.Delete(env);
        new GitHubActionsDestination("CF_API_TOKEN", toOutput: false).Remove(null!);
        Assert.False(File.Exists(env));
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", null);
        new GitHubActionsDestination("CF_API_TOKEN", toOutput: true).Remove(null!);
        Assert.Equal("", File.ReadAllText(Path.Combine(_folder, "output")));
    }

    [Theory]
    [InlineData("github:CF_API_TOKEN", false)]
    [InlineData("github-output:ROLLED", true)]
    public void Descriptions_round_trip_through_the_parser(string description, bool toOutput)
    {
        var destination = Assert.IsType<GitHubActionsDestination>(DestinationParser.Parse(description));
        Assert.Equal(toOutput, destination.ToOutput);
        Assert.Equal(description, destination.Description);
        Assert.Equal(description, destination.ToString());
    }

    [Theory]
    [InlineData("github:")]
    [InlineData("github:BAD-NAME")]
    [InlineData("github-env:X")]
    [InlineData("GitHub:X")]
    public void Other_shapes_are_not_GitHub_destinations(string description) =>
        Assert.Null(DestinationParser.Parse(description));
}
