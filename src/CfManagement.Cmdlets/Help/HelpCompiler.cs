// Compiles PlatyPS-format markdown (docs/help/*.md) into MAML help files at build time.
//
// This file is NOT part of CfManagement.Cmdlets.dll (HelpCompiler.targets removes Help/** from Compile): MSBuild's
// RoslynCodeTaskFactory compiles it into an inline task, so no PlatyPS and no pwsh are needed to build. It targets
// netstandard with conservative C# so it works under both `dotnet build` and Visual Studio's MSBuild.
//
// Input, one file per command (what PlatyPS's New-MarkdownHelp writes, schema 2.0.0):
//   ---  front matter: external help file, Module Name, online version, schema  ---
//   # Verb-Noun
//   ## SYNOPSIS / ## SYNTAX / ## DESCRIPTION / ## EXAMPLES (### Example N: title) / ## PARAMETERS (### -Name + ```yaml)
//   ## INPUTS / ## OUTPUTS (### TypeName) / ## NOTES / ## RELATED LINKS ([text](uri))
// Output: one MAML file per distinct "external help file" value, all commands that name it inside.
// Any structural problem is a build error with file and line, never a silently degraded help file.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class CompileMarkdownHelp : Task
{
    /// <summary>The docs/help/*.md files.</summary>
    [Required]
    public ITaskItem[] MarkdownFiles { get; set; }

    /// <summary>The module every file must name in its front matter.</summary>
    [Required]
    public string ModuleName { get; set; }

    /// <summary>
    /// The module folder's en-US: every help file goes there. The exported cmdlets' module is the root module (the
    /// manifest re-exports the nested dll's cmdlets), so PowerShell looks for CfManagement.Cmdlets.dll-Help.xml under
    /// the manifest's folder, in culture subfolders; script functions use &lt;Module&gt;-Help.xml in the same place.
    /// </summary>
    [Required]
    public string HelpDirectory { get; set; }

    [Output]
    public ITaskItem[] HelpFiles { get; set; }

    public override bool Execute()
    {
        var commands = new List<HelpCommand>();
        foreach (var item in MarkdownFiles ?? new ITaskItem[0])
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var command = MarkdownHelpParser.Parse(path, File.ReadAllText(path, Encoding.UTF8), ModuleName);
                if (commands.Any(c => string.Equals(c.Name, command.Name, StringComparison.OrdinalIgnoreCase)))
                    throw new HelpFormatException(1, "help for " + command.Name + " is defined twice.");
                commands.Add(command);
            }
            catch (HelpFormatException ex)
            {
                Log.LogError("CfHelp", "CFHELP001", null, path, ex.Line, 1, ex.Line, 1,
                    "Malformed help markdown: " + ex.Message + " (PlatyPS schema 2.0.0; see docs/help/Get-CfToken.md for a complete example)");
            }
        }
        if (Log.HasLoggedErrors) return false;

        var written = new List<ITaskItem>();
        foreach (var group in commands.GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(HelpDirectory);
            var target = Path.Combine(HelpDirectory, group.Key);
            var document = MamlWriter.Write(group.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase));
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
            using (var writer = XmlWriter.Create(target, settings)) document.Save(writer);
            Log.LogMessage(MessageImportance.High, "CfManagement help: {0} command(s) -> {1}", group.Count(), target);
            written.Add(new TaskItem(target));
        }
        HelpFiles = written.ToArray();
        return true;
    }
}

public sealed class HelpFormatException : Exception
{
    public HelpFormatException(int line, string message) : base(message) { Line = line; }
    public int Line { get; private set; }
}

public sealed class HelpCommand
{
    public string Name;
    public string ExternalHelpFile;
    public string OnlineVersion;
    public string Synopsis;
    public List<string> Description = new List<string>();
    /// <summary>Parameter-set names in SYNTAX order; "__AllParameterSets" when the file has a single unnamed block.</summary>
    public List<string> ParameterSets = new List<string>();
    public List<HelpExample> Examples = new List<HelpExample>();
    public List<HelpParameter> Parameters = new List<HelpParameter>();
    public List<HelpType> Inputs = new List<HelpType>();
    public List<HelpType> Outputs = new List<HelpType>();
    public List<string> Notes = new List<string>();
    public List<KeyValuePair<string, string>> Links = new List<KeyValuePair<string, string>>();
}

public sealed class HelpExample
{
    public string Title;
    public string Code;
    public List<string> Remarks = new List<string>();
}

public sealed class HelpType
{
    public string Name;
    public List<string> Description = new List<string>();
}

public sealed class HelpParameter
{
    public string Name;
    public List<string> Description = new List<string>();
    /// <summary>One entry per ```yaml block (PlatyPS writes several when attributes differ between sets).</summary>
    public List<HelpParameterBlock> Blocks = new List<HelpParameterBlock>();
}

public sealed class HelpParameterBlock
{
    public string Type;
    public List<string> Sets = new List<string>(); // empty = (All)
    public string Aliases;
    public bool Required;
    public string Position;
    public string DefaultValue;
    public string PipelineInput;
    public bool Globbing;
    public string AcceptedValues;

    public bool AppliesTo(string set) => Sets.Count == 0 || Sets.Contains(set, StringComparer.OrdinalIgnoreCase);
}

public static class MarkdownHelpParser
{
    public const string AllSets = "__AllParameterSets";

    private static readonly string[] RequiredSections =
        { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private static readonly string[] RequiredYamlKeys =
        { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" };

    private sealed class Line
    {
        public int Number;
        public string Text;
        public bool InFence; // inside a ``` block, or the fence line itself
    }

    private sealed class Section
    {
        public string Title;
        public int Number;
        public List<Line> Body = new List<Line>();
    }

    public static HelpCommand Parse(string path, string text, string moduleName)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
            .Select((t, i) => new Line { Number = i + 1, Text = t }).ToList();
        MarkFences(lines);

        var command = new HelpCommand();
        var front = ParseFrontMatter(lines, out var bodyStart);
        command.ExternalHelpFile = Require(front, "external help file", 1);
        var module = Require(front, "Module Name", 1);
        if (!string.Equals(module, moduleName, StringComparison.Ordinal))
            throw new HelpFormatException(1, "front matter 'Module Name: " + module + "' should be '" + moduleName + "'.");
        if (!command.ExternalHelpFile.EndsWith("-Help.xml", StringComparison.Ordinal))
            throw new HelpFormatException(1, "'external help file: " + command.ExternalHelpFile + "' must end in '-Help.xml' (with a capital H: Linux file names are case-sensitive and PowerShell looks for -Help.xml).");
        string schema;
        if (!front.TryGetValue("schema", out schema) || schema != "2.0.0")
            throw new HelpFormatException(1, "front matter must say 'schema: 2.0.0'.");
        front.TryGetValue("online version", out command.OnlineVersion);

        var titleLine = lines.Skip(bodyStart).FirstOrDefault(l => !l.InFence && l.Text.Trim().Length > 0);
        if (titleLine == null || !titleLine.Text.StartsWith("# ", StringComparison.Ordinal))
            throw new HelpFormatException(titleLine == null ? bodyStart + 1 : titleLine.Number, "expected '# <Command-Name>' after the front matter.");
        command.Name = titleLine.Text.Substring(2).Trim();
        var fileName = Path.GetFileNameWithoutExtension(path);
        if (!string.Equals(fileName, command.Name, StringComparison.Ordinal))
            throw new HelpFormatException(titleLine.Number, "the title '# " + command.Name + "' does not match the file name " + fileName + ".md.");
        if (!Regex.IsMatch(command.Name, "^[A-Za-z]+-[A-Za-z0-9]+$"))
            throw new HelpFormatException(titleLine.Number, "'" + command.Name + "' is not a Verb-Noun command name.");

        var sections = SplitSections(lines.Where(l => l.Number > titleLine.Number).ToList(), "## ");
        var expected = 0;
        foreach (var section in sections)
        {
            var index = Array.IndexOf(RequiredSections, section.Title);
            if (index < 0)
                throw new HelpFormatException(section.Number, "unknown section '## " + section.Title + "'; expected " + string.Join(", ", RequiredSections.Select(s => "## " + s)) + ".");
            if (index < expected)
                throw new HelpFormatException(section.Number, "section '## " + section.Title + "' is repeated or out of order.");
            expected = index + 1;
        }
        foreach (var name in RequiredSections)
            if (!sections.Any(s => s.Title == name))
                throw new HelpFormatException(lines.Count, "missing section '## " + name + "'.");
        Func<string, Section> get = n => sections.First(s => s.Title == n);

        command.Synopsis = string.Join(" ", Paragraphs(get("SYNOPSIS").Body));
        if (command.Synopsis.Length == 0) throw new HelpFormatException(get("SYNOPSIS").Number, "## SYNOPSIS is empty.");
        command.Description = Paragraphs(get("DESCRIPTION").Body);
        if (command.Description.Count == 0) throw new HelpFormatException(get("DESCRIPTION").Number, "## DESCRIPTION is empty.");
        ParseSyntax(get("SYNTAX"), command);
        ParseExamples(get("EXAMPLES"), command);
        ParseParameters(get("PARAMETERS"), command);
        command.Inputs = ParseTypes(get("INPUTS"));
        command.Outputs = ParseTypes(get("OUTPUTS"));
        command.Notes = Paragraphs(get("NOTES").Body);
        ParseLinks(get("RELATED LINKS"), command);
        RejectPlaceholders(lines);
        return command;
    }

    private static void MarkFences(List<Line> lines)
    {
        var open = false;
        var openedAt = 0;
        foreach (var line in lines)
        {
            var fence = line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fence)
            {
                line.InFence = true;
                if (!open) openedAt = line.Number;
                open = !open;
            }
            else line.InFence = open;
        }
        if (open) throw new HelpFormatException(openedAt, "code fence ``` is never closed.");
    }

    private static Dictionary<string, string> ParseFrontMatter(List<Line> lines, out int bodyStart)
    {
        if (lines.Count == 0 || lines[0].Text.Trim() != "---")
            throw new HelpFormatException(1, "the file must start with YAML front matter ('---').");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Count; i++)
        {
            var t = lines[i].Text;
            if (t.Trim() == "---")
            {
                bodyStart = i + 1;
                return values;
            }
            if (t.Trim().Length == 0) continue;
            var colon = t.IndexOf(':');
            if (colon <= 0) throw new HelpFormatException(lines[i].Number, "front matter line is not 'key: value'.");
            values[t.Substring(0, colon).Trim()] = t.Substring(colon + 1).Trim();
        }
        throw new HelpFormatException(1, "the front matter is never closed with '---'.");
    }

    private static string Require(Dictionary<string, string> values, string key, int line)
    {
        string value;
        if (!values.TryGetValue(key, out value) || string.IsNullOrWhiteSpace(value))
            throw new HelpFormatException(line, "front matter is missing '" + key + "'.");
        return value;
    }

    private static List<Section> SplitSections(List<Line> lines, string prefix)
    {
        var sections = new List<Section>();
        Section current = null;
        foreach (var line in lines)
        {
            if (!line.InFence && line.Text.StartsWith(prefix, StringComparison.Ordinal))
            {
                current = new Section { Title = line.Text.Substring(prefix.Length).Trim(), Number = line.Number };
                sections.Add(current);
            }
            else if (current != null) current.Body.Add(line);
            else if (line.Text.Trim().Length > 0)
                throw new HelpFormatException(line.Number, "text before the first '" + prefix.Trim() + "' heading.");
        }
        return sections;
    }

    /// <summary>
    /// Blank-line separated blocks. Prose lines are joined with spaces (Get-Help re-wraps them); list items, tables
    /// and code blocks keep their line breaks, and a code block becomes its own paragraph.
    /// </summary>
    private static List<string> Paragraphs(IEnumerable<Line> lines)
    {
        var result = new List<string>();
        var block = new List<string>();
        var keepBreaks = false;
        Action flush = () =>
        {
            if (block.Count > 0) result.Add(keepBreaks ? string.Join("\n", block) : string.Join(" ", block.Select(b => b.Trim())));
            block.Clear();
            keepBreaks = false;
        };
        foreach (var line in lines)
        {
            if (line.InFence)
            {
                if (line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    flush();
                    continue;
                }
                keepBreaks = true;
                block.Add(line.Text);
                continue;
            }
            if (line.Text.Trim().Length == 0)
            {
                flush();
                continue;
            }
            var trimmed = line.Text.TrimStart();
            if (trimmed.StartsWith("- ") || trimmed.StartsWith("* ") || trimmed.StartsWith("|") || Regex.IsMatch(trimmed, @"^\d+\. "))
                keepBreaks = true;
            block.Add(keepBreaks ? line.Text.TrimEnd() : line.Text);
        }
        flush();
        return result;
    }

    private static List<List<Line>> CodeBlocks(IEnumerable<Line> lines, out List<Line> outside)
    {
        var blocks = new List<List<Line>>();
        outside = new List<Line>();
        List<Line> current = null;
        foreach (var line in lines)
        {
            if (line.InFence && line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (current == null)
                {
                    current = new List<Line> { line };
                    blocks.Add(current);
                }
                else current = null;
                continue;
            }
            if (current != null) current.Add(line);
            else outside.Add(line);
        }
        return blocks;
    }

    private static void ParseSyntax(Section section, HelpCommand command)
    {
        if (!section.Body.Any(l => !l.InFence && l.Text.StartsWith("### ", StringComparison.Ordinal)))
        {
            List<Line> rest;
            if (CodeBlocks(section.Body, out rest).Count != 1)
                throw new HelpFormatException(section.Number, "## SYNTAX without '### <ParameterSet>' headings must hold exactly one ``` block.");
            command.ParameterSets.Add(AllSets);
            return;
        }
        foreach (var set in SplitSections(section.Body, "### "))
        {
            List<Line> rest;
            var blocks = CodeBlocks(set.Body, out rest);
            if (blocks.Count != 1 || blocks[0].Count < 2)
                throw new HelpFormatException(set.Number, "syntax block '### " + set.Title + "' must hold exactly one non-empty ``` block.");
            var name = Regex.Replace(set.Title, @"\s*\(Default\)\s*$", "");
            if (command.ParameterSets.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new HelpFormatException(set.Number, "parameter set '" + name + "' appears twice in ## SYNTAX.");
            command.ParameterSets.Add(name);
        }
    }

    private static void ParseExamples(Section section, HelpCommand command)
    {
        foreach (var example in SplitSections(section.Body, "### "))
        {
            if (!Regex.IsMatch(example.Title, @"^Example \d+:\s*\S"))
                throw new HelpFormatException(example.Number, "example heading must read '### Example N: <title>'.");
            List<Line> outside;
            var blocks = CodeBlocks(example.Body, out outside);
            if (blocks.Count == 0)
                throw new HelpFormatException(example.Number, "'### " + example.Title + "' has no ```powershell code block.");
            // The first block is the example's code; prose and any later block become the remarks, in order.
            var first = blocks[0];
            var afterCode = example.Body.SkipWhile(l => l != first[0]).Skip(first.Count + 1).ToList();
            var beforeCode = example.Body.TakeWhile(l => l != first[0]).ToList();
            var remarks = Paragraphs(beforeCode.Concat(afterCode));
            if (remarks.Count == 0)
                throw new HelpFormatException(example.Number, "'### " + example.Title + "' needs text explaining the example.");
            command.Examples.Add(new HelpExample
            {
                Title = example.Title,
                Code = string.Join("\n", first.Skip(1).Select(l => l.Text)).TrimEnd(),
                Remarks = remarks,
            });
        }
        if (command.Examples.Count == 0) throw new HelpFormatException(section.Number, "## EXAMPLES has no '### Example N: <title>'.");
    }

    private static void ParseParameters(Section section, HelpCommand command)
    {
        foreach (var block in SplitSections(section.Body, "### "))
        {
            if (block.Title == "CommonParameters") continue;
            if (!Regex.IsMatch(block.Title, @"^-[A-Za-z][A-Za-z0-9]*$"))
                throw new HelpFormatException(block.Number, "parameter heading must read '### -Name' (or '### CommonParameters'), not '### " + block.Title + "'.");
            var parameter = new HelpParameter { Name = block.Title.Substring(1) };
            if (command.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                throw new HelpFormatException(block.Number, "parameter -" + parameter.Name + " is documented twice.");
            List<Line> outside;
            var code = CodeBlocks(block.Body, out outside);
            parameter.Description = Paragraphs(outside);
            if (parameter.Description.Count == 0)
                throw new HelpFormatException(block.Number, "-" + parameter.Name + " has no description.");
            if (code.Count == 0 || code.Any(c => c[0].Text.Trim() != "```yaml"))
                throw new HelpFormatException(block.Number, "-" + parameter.Name + " needs its ```yaml block (Type, Parameter Sets, ...), and only yaml blocks.");
            foreach (var yaml in code) parameter.Blocks.Add(ParseYaml(yaml, parameter.Name, command));
            command.Parameters.Add(parameter);
        }
        if (command.Parameters.Count == 0 && !section.Body.Any(l => l.Text.Trim() == "### CommonParameters"))
            throw new HelpFormatException(section.Number, "## PARAMETERS is empty.");
    }

    private static HelpParameterBlock ParseYaml(List<Line> yaml, string parameter, HelpCommand command)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Skip(1))
        {
            if (line.Text.Trim().Length == 0) continue;
            var colon = line.Text.IndexOf(':');
            if (colon <= 0) throw new HelpFormatException(line.Number, "-" + parameter + ": yaml line is not 'Key: value'.");
            values[line.Text.Substring(0, colon).Trim()] = line.Text.Substring(colon + 1).Trim();
        }
        foreach (var key in RequiredYamlKeys)
            if (!values.ContainsKey(key))
                throw new HelpFormatException(yaml[0].Number, "-" + parameter + ": yaml is missing '" + key + ":'.");
        var result = new HelpParameterBlock
        {
            Type = values["Type"],
            Aliases = values["Aliases"],
            Required = ParseBool(values["Required"], yaml[0].Number, parameter, "Required"),
            Position = values["Position"],
            DefaultValue = values["Default value"],
            PipelineInput = values["Accept pipeline input"],
            Globbing = ParseBool(values["Accept wildcard characters"], yaml[0].Number, parameter, "Accept wildcard characters"),
        };
        string accepted;
        if (values.TryGetValue("Accepted values", out accepted)) result.AcceptedValues = accepted;
        if (result.Type.Length == 0) throw new HelpFormatException(yaml[0].Number, "-" + parameter + ": Type is empty.");
        int position;
        if (!string.Equals(result.Position, "Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(result.Position, out position))
            throw new HelpFormatException(yaml[0].Number, "-" + parameter + ": Position must be Named or a number.");
        if (!Regex.IsMatch(result.PipelineInput, @"^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue|ByValue, ByPropertyName)\))$"))
            throw new HelpFormatException(yaml[0].Number, "-" + parameter + ": 'Accept pipeline input' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue).");
        var sets = values["Parameter Sets"];
        if (sets != "(All)")
        {
            result.Sets = sets.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            foreach (var set in result.Sets)
                if (!command.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase))
                    throw new HelpFormatException(yaml[0].Number, "-" + parameter + ": parameter set '" + set + "' is not one of the ## SYNTAX sets (" + string.Join(", ", command.ParameterSets) + ").");
        }
        return result;
    }

    private static bool ParseBool(string value, int line, string parameter, string key)
    {
        if (string.Equals(value, "True", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(value, "False", StringComparison.OrdinalIgnoreCase)) return false;
        throw new HelpFormatException(line, "-" + parameter + ": '" + key + "' must be True or False.");
    }

    private static List<HelpType> ParseTypes(Section section)
    {
        var types = SplitSections(section.Body, "### ")
            .Select(t => new HelpType { Name = t.Title, Description = Paragraphs(t.Body) }).ToList();
        if (types.Count == 0)
            throw new HelpFormatException(section.Number, "## " + section.Title + " needs at least one '### <TypeName>' (or '### None').");
        return types;
    }

    private static void ParseLinks(Section section, HelpCommand command)
    {
        foreach (var line in section.Body.Where(l => !l.InFence && l.Text.Trim().Length > 0))
        {
            var match = Regex.Match(line.Text.Trim(), @"^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$");
            if (!match.Success)
                throw new HelpFormatException(line.Number, "related links must be one '[text](uri)' per line (uri may be empty).");
            command.Links.Add(new KeyValuePair<string, string>(match.Groups["text"].Value, match.Groups["uri"].Value));
        }
    }

    private static void RejectPlaceholders(List<Line> lines)
    {
        var placeholder = lines.FirstOrDefault(l => Regex.IsMatch(l.Text, @"\{\{\s*(Fill|Add)\b"));
        if (placeholder != null)
            throw new HelpFormatException(placeholder.Number, "PlatyPS placeholder left in: " + placeholder.Text.Trim());
    }
}

public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument Write(IEnumerable<HelpCommand> commands)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
        foreach (var c in commands) root.Add(CommandElement(c));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement CommandElement(HelpCommand c)
    {
        var dash = c.Name.IndexOf('-');
        var element = new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Name.Substring(0, dash)),
                new XElement(Command + "noun", c.Name.Substring(dash + 1)),
                Description(new[] { c.Synopsis })),
            Description(c.Description),
            new XElement(Command + "syntax", c.ParameterSets.Select(set => SyntaxItem(c, set))),
            new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, p.Blocks[0], true))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t => new XElement(Command + "inputType", TypeElement(t)))),
            new XElement(Command + "returnValues", c.Outputs.Select(t => new XElement(Command + "returnValue", TypeElement(t)))));
        if (c.Notes.Count > 0)
            element.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", c.Notes.Select(Para))));
        element.Add(new XElement(Command + "examples", c.Examples.Select(e => new XElement(Command + "example",
            new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
            new XElement(Dev + "code", e.Code),
            new XElement(Dev + "remarks", e.Remarks.Select(Para))))));
        var links = new XElement(Command + "relatedLinks");
        if (!string.IsNullOrWhiteSpace(c.OnlineVersion))
            links.Add(Link("Online Version:", c.OnlineVersion));
        // Links to sibling markdown files ([Get-CfToken](Get-CfToken.md)) mean "see that command": Get-Help shows the
        // name alone, as for PowerShell's own help; only absolute URIs are kept.
        foreach (var link in c.Links)
            links.Add(Link(link.Key, Uri.IsWellFormedUriString(link.Value, UriKind.Absolute) ? link.Value : ""));
        element.Add(links);
        return element;
    }

    private static XElement SyntaxItem(HelpCommand c, string set)
    {
        var members = c.Parameters
            .Select(p => new { Parameter = p, Block = p.Blocks.FirstOrDefault(b => b.AppliesTo(set)) })
            .Where(m => m.Block != null)
            .ToList();
        // Positional parameters first, by position, as PowerShell's own syntax lines show them.
        var ordered = members.Where(m => m.Block.Position != "Named").OrderBy(m => int.Parse(m.Block.Position))
            .Concat(members.Where(m => m.Block.Position == "Named"));
        return new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", c.Name),
            ordered.Select(m => Parameter(m.Parameter, m.Block, false)));
    }

    private static XElement Parameter(HelpParameter p, HelpParameterBlock b, bool full)
    {
        var isSwitch = b.Type == "SwitchParameter";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", b.Required ? "true" : "false"),
            new XAttribute("variableLength", b.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", b.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", b.PipelineInput),
            new XAttribute("position", b.Position.ToLowerInvariant() == "named" ? "named" : b.Position),
            new XAttribute("aliases", string.IsNullOrWhiteSpace(b.Aliases) ? "none" : b.Aliases),
            new XElement(Maml + "name", p.Name),
            Description(p.Description));
        if (!string.IsNullOrEmpty(b.AcceptedValues) && !full)
            element.Add(new XElement(Command + "parameterValueGroup",
                b.AcceptedValues.Split(',').Select(v => new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v.Trim()))));
        if (!isSwitch || full)
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", isSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"), b.Type));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", b.Type), new XElement(Maml + "uri")));
        element.Add(new XElement(Dev + "defaultValue", b.DefaultValue));
        return element;
    }

    /// <summary>The content of an inputType or returnValue: dev:type, then maml:description.</summary>
    private static object[] TypeElement(HelpType t) =>
        new object[] { new XElement(Dev + "type", new XElement(Maml + "name", t.Name), new XElement(Maml + "uri")), Description(t.Description) };

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new XElement(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new XElement(Maml + "para", text);

    private static XElement Link(string text, string uri) =>
        new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));
}
