using CfManagement.Http;
using CfManagement.SecretSets;
using Xunit;

namespace CfManagement.Tests.SecretSets;

/// <summary>Every rule of the .env reader, and every refusal with its line number (and never the value).</summary>
public class DotEnvParserTests
{
    private static List<(string Name, string? Value, int Line)> Parse(string text) =>
        DotEnvParser.Parse(text, "test.env").Select(p => (p.Name, p.Value == null ? null : SecureStringReader.ToPlainText(p.Value), p.Line)).ToList();

    private static SecretInputProblem Refused(string text)
    {
        var ex = Assert.Throws<SecretInputException>(() => DotEnvParser.Parse(text, "test.env"));
        Assert.Equal("SecretFileSyntaxError", ex.Problem.ErrorId);
        Assert.Equal("test.env", ex.Problem.File);
        Assert.StartsWith($"test.env line {ex.Problem.Line} ", ex.Problem.Message);
        return ex.Problem;
    }

    [Fact]
    public void Plain_pairs_with_their_lines() =>
        Assert.Equal([("A", "1", 1), ("B", "two words", 2)], Parse("A=1\nB=two words\n"));

    [Fact]
    public void Blank_lines_and_comments_are_skipped_and_lines_still_counted() =>
        Assert.Equal([("A", "1", 3), ("B", "2", 6)], Parse("# header\n\nA=1\n   # indented comment\n\t\nB=2"));

    [Fact]
    public void Export_prefix_is_dropped_but_a_name_starting_with_export_is_kept() =>
        Assert.Equal([("A", "1", 1), ("exported", "2", 2), ("B", "3", 3)], Parse("export A=1\nexported=2\nexport\tB=3\n"));

    [Fact]
    public void Blanks_around_the_equals_sign_and_after_the_value_are_trimmed() =>
        Assert.Equal([("A", "value", 1)], Parse("  A   =   value   \n"));

    [Fact]
    public void An_unquoted_value_ends_at_a_hash_as_in_dotenv() =>
        Assert.Equal([("A", "abc", 1), ("B", "x", 2)], Parse("A=abc # comment\nB=x#y\n"));

    [Fact]
    public void Single_quotes_are_literal() =>
        Assert.Equal([("A", @"a\nb # \"" not a comment", 1)], Parse("A='a\\nb # \\\" not a comment'\n"));

    [Fact]
    public void Double_quotes_expand_escapes() =>
        Assert.Equal([("A", "l1\nl2\r\t\"q\"\\ \\x", 1)], Parse("A=\"l1\\nl2\\r\\t\\\"q\\\"\\\\ \\x\"\n"));

    [Fact]
    public void Backticks_take_an_escaped_backtick_and_keep_other_quotes() =>
        Assert.Equal([("A", "it's \"x\" `y`", 1)], Parse("A=`it's \"x\" \\`y\\``\n"));

    [Fact]
    public void Quoted_values_span_lines_and_following_lines_keep_their_numbers() =>
        Assert.Equal([("KEY", "-----BEGIN-----\nabc\n-----END-----", 1), ("NEXT", "n", 4)],
            Parse("KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=n\n"));

    [Fact]
    public void Crlf_line_ends_work_and_become_lf_inside_quoted_values() =>
        Assert.Equal([("A", "1", 1), ("B", "x\ny", 2), ("C", "3", 4)], Parse("A=1\r\nB='x\r\ny'\r\nC=3\r\n"));

    [Fact]
    public void A_comment_may_follow_a_closing_quote() =>
        Assert.Equal([("A", "v # kept", 1)], Parse("A=\"v # kept\"   # dropped\n"));

    [Fact]
    public void Empty_values_parse_as_empty_for_the_rules_to_refuse() =>
        Assert.Equal([("A", "", 1), ("B", "", 2)], Parse("A=\nB=\"\"\n"));

    [Fact]
    public void A_byte_order_mark_and_a_missing_final_newline_are_fine() =>
        Assert.Equal([("A", "1", 1)], Parse("\uFEFFA=1"));

    [Fact]
    public void An_empty_file_has_no_secrets() => Assert.Empty(Parse(""));

    [Fact]
    public void A_line_without_equals_is_refused_with_its_line() =>
        Assert.Equal(3, Refused("A=1\n\nNAME_ONLY\n").Line);

    [Fact]
    public void A_line_starting_with_equals_is_refused() =>
        Assert.Equal(2, Refused("A=1\n=value\n").Line);

    [Fact]
    public void A_name_followed_by_a_word_is_refused() =>
        Assert.Equal(1, Refused("A B=1\n").Line);

    [Theory]
    [InlineData("A=1\nB=\"open\nC=3\n", 2)]
    [InlineData("A='open", 1)]
    [InlineData("A=1\n\n\nB=`open\n", 4)]
    public void An_unterminated_quote_is_refused_at_the_line_that_opens_it(string text, int line)
    {
        var problem = Refused(text);
        Assert.Equal(line, problem.Line);
        Assert.Contains("never closed", problem.Message);
        Assert.DoesNotContain("open", problem.Message.Replace("opens", ""));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_refused_without_quoting_the_value()
    {
        var problem = Refused("A=1\nB=\"multi\nline\" sk_live_secret\n");
        Assert.Equal(3, problem.Line);
        Assert.DoesNotContain("sk_live_secret", problem.Message);
        Assert.DoesNotContain("multi", problem.Message);
    }
}
