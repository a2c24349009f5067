using System.Text;
using System.Text.RegularExpressions;
using CfManagement.Secrets;
using Xunit;

namespace CfManagement.Tests.Secrets;

/// <summary>
/// The $GITHUB_ENV / $GITHUB_OUTPUT heredoc format and the ::add-mask:: command, as the runner parses them:
/// a random delimiter per entry, multi-line values intact, a delimiter found in the value refused, entries appended.
/// </summary>
public sealed class GitHubActionsFileTests : IDisposable
{
    private static readonly string Eol = Environment.NewLine;
    private readonly string _folder = Directory.CreateTempSubdirectory("gha-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The entries of a file, read the way the runner reads heredoc entries.</summary>
    internal static List<(string Name, string Delimiter, string Value)> Entries(string text) =>
        Regex.Matches(text, @"^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)\r?\n(.*?)\r?\n\2\r?\n", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();

    [Fact]
    public void An_entry_is_name_heredoc_delimiter_value_delimiter()
    {
        var entry = GitHubActionsFile.FormatEntry("CF_API_TOKEN", "v4lue", "ghadelimiter_x");
        Assert.Equal($"CF_API_TOKEN<<ghadelimiter_x{Eol}v4lue{Eol}ghadelimiter_x{Eol}", entry);
    }

    [Fact]
    public void Each_entry_gets_a_fresh_random_delimiter()
    {
        var path = Path.Combine(_folder, "env");
        File.WriteAllText(path, "");
        GitHubActionsFile.Append(path, "A", "one");
        GitHubActionsFile.Append(path, "A", "two");
        var entries = Entries(File.ReadAllText(path));
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Matches("^ghadelimiter_[0-9a-f-]{36}$", e.Delimiter));
        Assert.NotEqual(entries[0].Delimiter, entries[1].Delimiter);
        Assert.Equal(["one", "two"], entries.Select(e => e.Value));
    }

    [Fact]
    public void A_multi_line_value_stays_one_entry_and_cannot_inject_other_variables()
    {
        var path = Path.Combine(_folder, "env");
        File.WriteAllText(path, "");
        const string value = "line one\nINJECTED=1\nPATH<<EOF\nline four";
        GitHubActionsFile.Append(path, "MULTI", value);
        var entry = Assert.Single(Entries(File.ReadAllText(path)));
        Assert.Equal("MULTI", entry.Name);
        Assert.Equal(value, entry.Value);
    }

    [Fact]
    public void A_delimiter_found_in_the_value_is_never_used()
    {
        Assert.Throws<InvalidOperationException>(() => GitHubActionsFile.FormatEntry("A", "x\nghadelimiter_1\ny", "ghadelimiter_1"));

        var offered = new Queue<string>(["ghadelimiter_1", "ghadelimiter_2"]);
        var entry = GitHubActionsFile.FormatEntry("A", "x\nghadelimiter_1\ny", () => offered.Dequeue());
        Assert.StartsWith("A<<ghadelimiter_2" + Eol, entry);

        const string hostile = "secret-hostile-value ghadelimiter_same";
        var ex = Assert.Throws<InvalidOperationException>(() => GitHubActionsFile.FormatEntry("A", hostile, () => "ghadelimiter_same"));
        Assert.DoesNotContain("secret-hostile-value", ex.Message);
    }

    [Fact]
    public void Append_keeps_what_was_there_and_writes_utf8_without_bom()
    {
        var path = Path.Combine(_folder, "env");
        File.WriteAllText(path, "EARLIER=1\n", new UTF8Encoding(false));
        GitHubActionsFile.Append(path, "UNICODE", "grüße-✓", () => "ghadelimiter_u");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetBytes($"EARLIER=1\nUNICODE<<ghadelimiter_u{Eol}grüße-✓{Eol}ghadelimiter_u{Eol}"), bytes);
    }

    [Fact]
    public void The_mask_covers_each_line_and_escapes_percent_signs()
    {
        var stdout = new StringWriter();
        GitHubActionsFile.WriteMask(stdout, "first-line\r\n\nsecond%0Aline\n   \nthird");
        Assert.Equal("::add-mask::first-line\n::add-mask::second%250Aline\n::add-mask::third\n", stdout.ToString());
    }
}
