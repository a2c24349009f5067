using System.Text.RegularExpressions;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// A simulated GitHub Actions step: GITHUB_ACTIONS=true, GITHUB_ENV and GITHUB_OUTPUT pointing at fresh temp files (the
/// env file already holding an earlier step's line, which must survive), and Console.Out captured as the runner's
/// stdout, where ::add-mask:: must go. Everything is restored on Dispose; use it only in EnvironmentCollection tests,
/// which run alone.
/// </summary>
public sealed class GitHubActionsStep : IDisposable
{
    private readonly string _folder;
    private readonly EnvironmentScope _environment;
    private readonly TextWriter _originalOut = Console.Out;
    private readonly StringWriter _stdout = new();

    public GitHubActionsStep(string folderPrefix)
    {
        _folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        EnvFile = Path.Combine(_folder, "set_env");
        OutputFile = Path.Combine(_folder, "set_output");
        File.WriteAllText(EnvFile, "EARLIER_STEP=kept\n");
        File.WriteAllText(OutputFile, "");
        _environment = new EnvironmentScope(("GITHUB_ACTIONS", "true"), ("GITHUB_ENV", EnvFile), ("GITHUB_OUTPUT", OutputFile));
        Console.SetOut(_stdout);
    }

    public string EnvFile { get; }
    public string OutputFile { get; }
    /// <summary>What the step printed to stdout so far (the runner reads workflow commands there).</summary>
    public string Stdout => _stdout.ToString();

    /// <summary>The heredoc entries (NAME&lt;&lt;DELIMITER, value, DELIMITER) appended to a GitHub file, in order.</summary>
    public static List<(string Name, string Delimiter, string Value)> Entries(string path) =>
        Regex.Matches(File.ReadAllText(path), @"^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)\r?\n(.*?)\r?\n\2\r?\n", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();

    public void Dispose()
    {
        Console.SetOut(_originalOut);
        _environment.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
