using CfManagement.Errors;
using CfManagement.Health;
using Xunit;

namespace CfManagement.Tests.Health;

/// <summary>Health profile files (JSON and .psd1): what loads, and every refusal with its reason.</summary>
public sealed class HealthProfileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-profile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static string Refusal(string path)
    {
        var ex = Assert.Throws<CfRecordException>(() => HealthProfile.Load(path));
        Assert.Equal("InvalidHealthProfile", ex.ErrorRecord.FullyQualifiedErrorId);
        Assert.Equal(path, ex.ErrorRecord.TargetObject);
        Assert.StartsWith($"The health profile '{path}' is not usable: ", ex.Message);
        return ex.Message[($"The health profile '{path}' is not usable: ").Length..];
    }

    [Fact]
    public void Json_profile_loads_with_case_insensitive_keys()
    {
        var profile = HealthProfile.Load(File("p.json", """
            {"Tokens": {"ci-*": {"REQUIRED": ["DNS Write", "Zone Read"], "expiryWarningDays": 14}, "deploy": {"required": "Workers Scripts Write"}}}
            """));
        // Entry order is not asserted: the parsed objects are Hashtables, so "file order" is not kept (see the report).
        Assert.Equal(["ci-*", "deploy"], profile.Entries.Select(e => e.Pattern).Order(StringComparer.Ordinal));
        var ci = profile.Entries.Single(e => e.Pattern == "ci-*");
        Assert.Equal(["DNS Write", "Zone Read"], ci.Required);   // the order inside a list is kept
        Assert.Equal(14, ci.ExpiryWarningDays);
        var deploy = profile.Entries.Single(e => e.Pattern == "deploy");
        Assert.Equal(["Workers Scripts Write"], deploy.Required);
        Assert.Null(deploy.ExpiryWarningDays);
    }

    [Fact]
    public void Psd1_profile_loads_and_patterns_match_like_PowerShell_wildcards()
    {
        var profile = HealthProfile.Load(File("p.psd1", """
            @{ Tokens = @{ 'CI-*' = @{ Required = @('DNS Write'); ExpiryWarningDays = 0 }; 'ci-d?ploy' = @{ Required = 'Zone Read' } } }
            """));
        Assert.Equal(2, profile.Entries.Count);
        Assert.Equal(0, profile.Entries.Single(e => e.Pattern == "CI-*").ExpiryWarningDays);
        Assert.Equal(2, profile.Match("ci-deploy").Count);
        Assert.Single(profile.Match("ci-build"));
        Assert.Empty(profile.Match("prod-ci"));
        Assert.Empty(profile.Match(null));
    }

    [Fact]
    public void Psd1_that_would_run_code_is_refused_and_not_run()
    {
        var marker = Path.Combine(_dir, "ran.txt");
        var path = File("p.psd1", $"@{{ Tokens = @{{ 'x' = @{{ Required = @(New-Item -Path '{marker}') }} }} }}");
        Assert.StartsWith("it contains something other than constant data", Refusal(path));
        Assert.False(System.IO.File.Exists(marker));
    }

    [Theory]
    [InlineData("p.psd1", "@{ Tokens = @{ 'x' = @{ Required = 'a' } } }; 'more'", "a .psd1 profile must hold exactly one hashtable literal")]
    [InlineData("p.psd1", "@{ Tokens = @{ 'x' = @{ Required = 'a' }", "it does not parse as PowerShell data (line 1:")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"]}}", "it is not valid JSON")]
    [InlineData("p.json", "[1, 2]", "the top level must be an object/hashtable with a 'tokens' key.")]
    [InlineData("p.json", "{\"token\": {}}", "it has no 'tokens' object mapping token names to their requirements.")]
    [InlineData("p.json", "{\"tokens\": {}}", "'tokens' is empty.")]
    [InlineData("p.json", "{\"tokens\": {\" \": {\"required\": [\"a\"]}}}", "a token name pattern is empty.")]
    [InlineData("p.json", "{\"tokens\": {\"x\": [\"a\"]}}", "the entry 'x' must be an object")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"warnDays\": 3}}}", "the entry 'x' has an unknown key 'warnDays'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": []}}}", "the entry 'x' needs 'required'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\", 3]}}}", "the entry 'x' needs 'required'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\", \" \"]}}}", "the entry 'x' needs 'required'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"expiryWarningDays\": -1}}}", "the entry 'x' has expiryWarningDays '-1'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"expiryWarningDays\": 36501}}}", "the entry 'x' has expiryWarningDays '36501'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"expiryWarningDays\": 1.5}}}", "the entry 'x' has expiryWarningDays '1.5'")]
    [InlineData("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"expiryWarningDays\": \"14\"}}}", "the entry 'x' has expiryWarningDays '14'")]
    [InlineData("p.yaml", "tokens: {}", "'.yaml' is not a profile format: use a .json or .psd1 file.")]
    public void Bad_profiles_are_refused_with_the_reason(string name, string text, string reason) =>
        Assert.StartsWith(reason, Refusal(File(name, text)));

    [Fact]
    public void The_largest_warning_threshold_is_accepted()
    {
        var profile = HealthProfile.Load(File("p.json", "{\"tokens\": {\"x\": {\"required\": [\"a\"], \"expiryWarningDays\": 36500}}}"));
        Assert.Equal(36500, profile.Entries[0].ExpiryWarningDays);
    }

    [Fact]
    public void A_missing_file_is_refused() =>
        Assert.Equal("the file does not exist.", Refusal(Path.Combine(_dir, "nope.json")));
}
