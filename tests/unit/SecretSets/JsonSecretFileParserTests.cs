using CfManagement.Http;
using CfManagement.SecretSets;
using Xunit;

namespace CfManagement.Tests.SecretSets;

public class JsonSecretFileParserTests
{
    private static List<(string Name, string? Value, int Line)> Parse(string text) =>
        JsonSecretFileParser.Parse(text, "s.json").Select(p => (p.Name, p.Value == null ? null : SecureStringReader.ToPlainText(p.Value), p.Line)).ToList();

    private static SecretInputProblem Refused(string text)
    {
        var ex = Assert.Throws<SecretInputException>(() => JsonSecretFileParser.Parse(text, "s.json"));
        Assert.Equal("SecretFileSyntaxError", ex.Problem.ErrorId);
        Assert.StartsWith($"s.json line {ex.Problem.Line} ", ex.Problem.Message);
        return ex.Problem;
    }

    [Fact]
    public void Strings_set_and_nulls_delete_with_lines() =>
        Assert.Equal([("A", "1", 2), ("B", null, 3), ("C", "multi\nline", 4)], Parse("{\n  \"A\": \"1\",\n  \"B\": null,\n  \"C\": \"multi\\nline\"\n}"));

    [Fact]
    public void Comments_and_trailing_commas_are_allowed() =>
        Assert.Equal([("A", "1", 3)], Parse("{\n  // wrangler bulk file\n  \"A\": \"1\",\n}"));

    [Fact]
    public void Duplicates_are_returned_for_the_rules_to_refuse() =>
        Assert.Equal([("A", "1", 1), ("A", "2", 1)], Parse("{\"A\": \"1\", \"A\": \"2\"}"));

    [Theory]
    [InlineData("", 1)]
    [InlineData("[\"A\"]", 1)]
    [InlineData("\n\"just a string\"", 2)]
    [InlineData("{\n \"A\": 1\n}", 2)]
    [InlineData("{\n \"A\": true\n}", 2)]
    [InlineData("{\n \"A\": {\"text\": \"x\"}\n}", 2)]
    [InlineData("{\n \"A\": [\"x\"]\n}", 2)]
    [InlineData("{\n \"A\": \"1\"\n \"B\": \"2\"\n}", 3)]
    [InlineData("{\n \"A\": \"1\"\n}\n{}", 4)]
    [InlineData("{\n \"A\": \"unterminated\n}", 2)]
    public void Anything_but_one_object_of_strings_and_nulls_is_refused_with_its_line(string text, int line) =>
        Assert.Equal(line, Refused(text).Line);

    [Fact]
    public void A_refusal_never_quotes_a_value()
    {
        var problem = Refused("{\n \"A\": \"sk_live_abcdef\" \"B\"\n}");
        Assert.DoesNotContain("sk_live_abcdef", problem.Message);
    }
}
