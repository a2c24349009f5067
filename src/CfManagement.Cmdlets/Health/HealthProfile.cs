using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfManagement.Errors;

namespace CfManagement.Health
{
    /// <summary>One entry of a health profile: the tokens it applies to (a name with wildcards) and what they need.</summary>
    internal sealed class HealthProfileEntry
    {
        public HealthProfileEntry(string pattern, IReadOnlyList<string> required, int? expiryWarningDays)
        {
            Pattern = pattern;
            Required = required;
            ExpiryWarningDays = expiryWarningDays;
            _wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        }

        private readonly WildcardPattern _wildcard;
        public string Pattern { get; }
        public IReadOnlyList<string> Required { get; }
        public int? ExpiryWarningDays { get; }
        public bool Matches(string tokenName) => _wildcard.IsMatch(tokenName);
    }

    /// <summary>
    /// A health profile file: token names (wildcards allowed) mapped to the permission groups they must hold and,
    /// optionally, their own expiry warning threshold. JSON (<c>{"tokens": {"ci-*": {"required": [...], "expiryWarningDays": 14}}}</c>)
    /// or a .psd1 data file (<c>@{ Tokens = @{ 'ci-*' = @{ Required = @(...); ExpiryWarningDays = 14 } } }</c>), read with the
    /// PowerShell parser and SafeGetValue, so nothing in the file is ever executed.
    /// </summary>
    internal sealed class HealthProfile
    {
        private HealthProfile(string path, List<HealthProfileEntry> entries)
        {
            Path = path;
            Entries = entries;
        }

        public string Path { get; }
        public IReadOnlyList<HealthProfileEntry> Entries { get; }

        /// <summary>Every entry whose pattern matches the token name, in file order.</summary>
        public IReadOnlyList<HealthProfileEntry> Match(string? tokenName) =>
            tokenName == null ? new List<HealthProfileEntry>() : Entries.Where(e => e.Matches(tokenName)).ToList();

        /// <summary>Loads and checks a profile; a problem becomes an InvalidHealthProfile error naming the file and the problem.</summary>
        public static HealthProfile Load(string path)
        {
            if (!File.Exists(path)) throw Invalid(path, "the file does not exist.");
            var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
            object? root;
            if (extension == ".psd1") root = ReadPsd1(path);
            else if (extension == ".json") root = ReadJson(path);
            else throw Invalid(path, $"'{extension}' is not a profile format: use a .json or .psd1 file.");
            return new HealthProfile(path, ReadEntries(path, root));
        }

        private static object? ReadJson(string path)
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Invalid(path, "it cannot be read: " + ex.Message); }
            try
            {
                return CfManagement.Json.PlainJson.Parse(text);
            }
            catch (FormatException ex)
            {
                throw Invalid(path, $"it is not valid JSON: {ex.Message}.");
            }
        }

        private static object? ReadPsd1(string path)
        {
            ScriptBlockAst ast;
            ParseError[] errors;
            try { ast = Parser.ParseFile(path, out _, out errors); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { throw Invalid(path, "it cannot be read: " + ex.Message); }
            if (errors != null && errors.Length > 0)
                throw Invalid(path, $"it does not parse as PowerShell data (line {errors[0].Extent.StartLineNumber}: {errors[0].Message}).");
            var statements = ast.EndBlock?.Statements;
            var hashtable = statements != null && statements.Count == 1 && statements[0] is PipelineAst pipeline &&
                            pipeline.PipelineElements.Count == 1 && pipeline.PipelineElements[0] is CommandExpressionAst command
                ? command.Expression as HashtableAst
                : null;
            if (hashtable == null || ast.BeginBlock != null || ast.ProcessBlock != null || ast.ParamBlock != null)
                throw Invalid(path, "a .psd1 profile must hold exactly one hashtable literal, @{ Tokens = @{ ... } }.");
            try
            {
                return hashtable.SafeGetValue();
            }
            catch (InvalidOperationException ex)
            {
                // SafeGetValue refuses anything that would run code (commands, subexpressions, variables other than constants).
                throw Invalid(path, "it contains something other than constant data, which is never executed: " + ex.Message);
            }
        }

        private static List<HealthProfileEntry> ReadEntries(string path, object? root)
        {
            if (!(root is IDictionary top)) throw Invalid(path, "the top level must be an object/hashtable with a 'tokens' key.");
            var tokens = Get(top, "tokens");
            if (!(tokens is IDictionary map)) throw Invalid(path, "it has no 'tokens' object mapping token names to their requirements.");
            if (map.Count == 0) throw Invalid(path, "'tokens' is empty.");
            var entries = new List<HealthProfileEntry>();
            foreach (DictionaryEntry pair in map)
            {
                var pattern = pair.Key?.ToString() ?? "";
                if (string.IsNullOrWhiteSpace(pattern)) throw Invalid(path, "a token name pattern is empty.");
                if (!(pair.Value is IDictionary spec)) throw Invalid(path, $"the entry '{pattern}' must be an object with 'required' (and optionally 'expiryWarningDays').");
                foreach (var key in spec.Keys.Cast<object>().Select(k => k.ToString()))
                    if (!string.Equals(key, "required", StringComparison.OrdinalIgnoreCase) && !string.Equals(key, "expiryWarningDays", StringComparison.OrdinalIgnoreCase))
                        throw Invalid(path, $"the entry '{pattern}' has an unknown key '{key}' (expected 'required' and 'expiryWarningDays').");
                var required = Strings(Get(spec, "required"));
                if (required == null || required.Count == 0 || required.Any(string.IsNullOrWhiteSpace))
                    throw Invalid(path, $"the entry '{pattern}' needs 'required': a non-empty list of permission-group names.");
                int? days = null;
                var rawDays = Get(spec, "expiryWarningDays");
                if (rawDays != null)
                {
                    if (!(rawDays is int || rawDays is long) || Convert.ToInt64(rawDays) < 0 || Convert.ToInt64(rawDays) > 36500)
                        throw Invalid(path, $"the entry '{pattern}' has expiryWarningDays '{rawDays}': it must be a whole number of days from 0 to 36500.");
                    days = Convert.ToInt32(rawDays);
                }
                entries.Add(new HealthProfileEntry(pattern, required, days));
            }
            return entries;
        }

        private static object? Get(IDictionary table, string key)
        {
            foreach (DictionaryEntry pair in table)
                if (string.Equals(pair.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return pair.Value;
            return null;
        }

        private static List<string>? Strings(object? value)
        {
            if (value is string single) return new List<string> { single };
            if (!(value is IEnumerable list)) return null;
            var result = new List<string>();
            foreach (var item in list)
            {
                if (!(item is string s)) return null;
                result.Add(s);
            }
            return result;
        }

        private static CfRecordException Invalid(string path, string problem)
        {
            var message = $"The health profile '{path}' is not usable: {problem}";
            return new CfRecordException(new ErrorRecord(new InvalidDataException(message), ErrorIds.InvalidHealthProfile, ErrorCategory.InvalidData, path)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Fix the file. JSON: {\"tokens\": {\"ci-*\": {\"required\": [\"DNS Write\"], \"expiryWarningDays\": 14}}}; " +
                                        "psd1: @{ Tokens = @{ 'ci-*' = @{ Required = @('DNS Write'); ExpiryWarningDays = 14 } } }.",
                },
            });
        }
    }
}
