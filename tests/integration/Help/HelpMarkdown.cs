using System.Text.RegularExpressions;

namespace CfManagement.Tests.Help;

/// <summary>
/// An independent reading of one PlatyPS markdown file (schema 2.0.0), for the tests: the build's compiler
/// (src/CfManagement.Cmdlets/Help/HelpCompiler.cs) is a second implementation, so a format slip in either shows up.
/// Structural problems are collected in <see cref="Problems"/> rather than thrown.
/// </summary>
public sealed class HelpMarkdown
{
    public static readonly string[] Sections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static readonly string[] YamlKeys =
        ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    public const string AllSets = "__AllParameterSets";

    public string Path { get; }
    public string Title { get; private set; } = "";
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> SectionOrder { get; } = [];
    public string Synopsis { get; private set; } = "";
    public string Description { get; private set; } = "";
    public List<SyntaxBlock> Syntax { get; } = [];
    public List<Example> Examples { get; } = [];
    public List<Parameter> Parameters { get; } = [];
    public bool HasCommonParameters { get; private set; }
    public List<string> Inputs { get; } = [];
    public List<string> Outputs { get; } = [];
    public string Notes { get; private set; } = "";
    public List<string> Problems { get; } = [];

    public sealed record SyntaxBlock(string SetName, bool IsDefault, string Text);
    public sealed record Example(string Title, string? CodeLanguage, string Code, string Text);
    public sealed record Parameter(string Name, string Description, List<Dictionary<string, string>> Yaml);

    private sealed record Line(int Number, string Text, bool InFence);

    public HelpMarkdown(string path)
    {
        Path = path;
        var raw = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        var lines = new List<Line>();
        var open = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var fence = raw[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            lines.Add(new Line(i + 1, raw[i], open || fence));
            if (fence) open = !open;
        }
        if (open) Problems.Add("unclosed ``` fence");

        if (raw.Length == 0 || raw[0] != "---") { Problems.Add("no front matter"); return; }
        var end = Array.IndexOf(raw, "---", 1);
        if (end < 0) { Problems.Add("front matter not closed"); return; }
        foreach (var l in raw.Skip(1).Take(end - 1).Where(l => l.Trim().Length > 0))
        {
            var colon = l.IndexOf(':');
            if (colon <= 0) Problems.Add("front matter line: " + l);
            else FrontMatter[l[..colon].Trim()] = l[(colon + 1)..].Trim();
        }

        var body = lines.Skip(end + 1).ToList();
        var title = body.FirstOrDefault(l => l.Text.Trim().Length > 0);
        if (title == null || !title.Text.StartsWith("# ")) { Problems.Add("no '# Command-Name' title"); return; }
        Title = title.Text[2..].Trim();

        var sections = Split(body.Where(l => l.Number > title.Number), "## ");
        SectionOrder.AddRange(sections.Select(s => s.Title));
        List<Line> Section(string name) => sections.FirstOrDefault(s => s.Title == name).Body ?? [];

        Synopsis = Prose(Section("SYNOPSIS"));
        Description = Prose(Section("DESCRIPTION"));
        Notes = Prose(Section("NOTES"));

        var syntaxSets = Split(Section("SYNTAX"), "### ");
        if (syntaxSets.Count == 0)
            Syntax.Add(new SyntaxBlock(AllSets, true, Code(Section("SYNTAX")).FirstOrDefault().Code ?? ""));
        foreach (var (setTitle, _, setBody) in syntaxSets)
        {
            var isDefault = setTitle.EndsWith("(Default)", StringComparison.Ordinal);
            Syntax.Add(new SyntaxBlock(isDefault ? setTitle[..^"(Default)".Length].Trim() : setTitle, isDefault,
                Code(setBody).FirstOrDefault().Code ?? ""));
        }

        foreach (var (exampleTitle, number, exampleBody) in Split(Section("EXAMPLES"), "### "))
        {
            if (!Regex.IsMatch(exampleTitle, @"^Example \d+: \S")) Problems.Add($"line {number}: example heading '{exampleTitle}'");
            var code = Code(exampleBody).FirstOrDefault();
            Examples.Add(new Example(exampleTitle, code.Language, code.Code ?? "", Prose(exampleBody.Where(l => !l.InFence))));
        }

        foreach (var (paramTitle, number, paramBody) in Split(Section("PARAMETERS"), "### "))
        {
            if (paramTitle == "CommonParameters") { HasCommonParameters = true; continue; }
            if (!paramTitle.StartsWith('-')) { Problems.Add($"line {number}: parameter heading '{paramTitle}'"); continue; }
            var yaml = new List<Dictionary<string, string>>();
            foreach (var block in Code(paramBody))
            {
                if (block.Language != "yaml") { Problems.Add($"-{paramTitle}: non-yaml block"); continue; }
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var l in block.Code.Split('\n').Where(l => l.Trim().Length > 0))
                {
                    var colon = l.IndexOf(':');
                    if (colon <= 0) Problems.Add($"-{paramTitle}: yaml line '{l}'");
                    else values[l[..colon].Trim()] = l[(colon + 1)..].Trim();
                }
                yaml.Add(values);
            }
            Parameters.Add(new Parameter(paramTitle[1..], Prose(paramBody.Where(l => !l.InFence)), yaml));
        }

        Inputs.AddRange(Split(Section("INPUTS"), "### ").Select(s => s.Title));
        Outputs.AddRange(Split(Section("OUTPUTS"), "### ").Select(s => s.Title));
    }

    private static List<(string Title, int Number, List<Line> Body)> Split(IEnumerable<Line> lines, string prefix)
    {
        var result = new List<(string, int, List<Line>)>();
        foreach (var line in lines)
        {
            if (!line.InFence && line.Text.StartsWith(prefix, StringComparison.Ordinal))
                result.Add((line.Text[prefix.Length..].Trim(), line.Number, []));
            else if (result.Count > 0) result[^1].Item3.Add(line);
        }
        return result;
    }

    private static List<(string? Language, string Code)> Code(IEnumerable<Line> lines)
    {
        var result = new List<(string?, string)>();
        string? language = null;
        List<string>? current = null;
        foreach (var line in lines.Where(l => l.InFence))
        {
            if (line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (current == null)
                {
                    language = line.Text.Trim()[3..].Trim();
                    current = [];
                }
                else
                {
                    result.Add((language == "" ? null : language, string.Join("\n", current)));
                    current = null;
                }
            }
            else current?.Add(line.Text);
        }
        return result;
    }

    private static string Prose(IEnumerable<Line> lines) =>
        Regex.Replace(string.Join(" ", lines.Where(l => !l.InFence).Select(l => l.Text.Trim())), @"\s+", " ").Trim();
}
