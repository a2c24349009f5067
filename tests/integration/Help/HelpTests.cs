using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Help;

/// <summary>One runspace with the built module, the commands it exports, and every docs/help/*.md file parsed.</summary>
public sealed class HelpFixture : IDisposable
{
    public PsSession Ps { get; } = new();
    public string DocsFolder { get; } = Path.Combine(RepoPaths.Root, "docs", "help");
    public string MamlFile { get; } = Path.Combine(RepoPaths.Root, "out", "CfManagement", "en-US", "CfManagement.Cmdlets.dll-Help.xml");

    /// <summary>Every command the module exports, as the engine sees it: new commands are covered automatically.</summary>
    public IReadOnlyList<CommandInfo> Commands { get; }

    public IReadOnlyDictionary<string, HelpMarkdown> Docs { get; }

    public HelpFixture()
    {
        // The compiled cmdlets: docs/help/*.md becomes their MAML. Script composites carry comment-based help, which
        // tests/pester/Help.Tests.ps1 checks.
        var result = Ps.Run("(Get-Module CfManagement).ExportedCmdlets.Values");
        result.AssertNoErrors();
        Commands = result.Objects<CommandInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Docs = Directory.EnumerateFiles(DocsFolder, "*.md")
            .ToDictionary(f => System.IO.Path.GetFileNameWithoutExtension(f), f => new HelpMarkdown(f), StringComparer.Ordinal);
    }

    public void Dispose() => Ps.Dispose();
}

public class HelpTests(HelpFixture fixture) : IClassFixture<HelpFixture>
{
    // -WhatIf and -Confirm are documented like any other parameter (PlatyPS does, and Get-Help shows them only then);
    // only the true common parameters (and the obsolete -UseTransaction) are left to "### CommonParameters".
    private static readonly HashSet<string> Common = new(Cmdlet.CommonParameters.Append("UseTransaction"), StringComparer.OrdinalIgnoreCase);

    private static void AssertNone(List<string> problems, string what) =>
        Assert.True(problems.Count == 0, what + ":\n  " + string.Join("\n  ", problems));

    private static string Squash(string? text) => Regex.Replace(text ?? "", @"\s+", " ").Trim();

    /// <summary>The parameters a user can pass, without the common ones.</summary>
    private static List<string> RealParameters(CommandInfo command) =>
        command.Parameters.Keys.Where(k => !Common.Contains(k)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_module_exports_commands_to_check()
    {
        Assert.Contains(fixture.Commands, c => c.Name == "Connect-CfAccount");
        Assert.Contains(fixture.Commands, c => c.Name == "Get-CfToken");
    }

    [Fact]
    public void Every_exported_command_has_a_markdown_file_and_every_markdown_file_an_exported_command()
    {
        var problems = new List<string>();
        foreach (var command in fixture.Commands)
            if (!fixture.Docs.ContainsKey(command.Name))
                problems.Add($"{command.Name}: no docs/help/{command.Name}.md (copy docs/help/Get-CfToken.md as a starting point)");
        foreach (var name in fixture.Docs.Keys)
            if (!fixture.Commands.Any(c => c.Name == name))
                problems.Add($"docs/help/{name}.md documents a command the module does not export");
        AssertNone(problems, "help coverage");
    }

    [Fact]
    public void Every_markdown_file_parses_as_PlatyPS_schema_2()
    {
        Assert.NotEmpty(fixture.Docs);
        var problems = new List<string>();
        foreach (var (name, doc) in fixture.Docs)
        {
            void Bad(string message) => problems.Add($"{name}.md: {message}");
            problems.AddRange(doc.Problems.Select(p => $"{name}.md: {p}"));
            var expectedHelpFile = fixture.Commands.FirstOrDefault(c => c.Name == name) is FunctionInfo ? "CfManagement-Help.xml" : "CfManagement.Cmdlets.dll-Help.xml";
            if (doc.FrontMatter.GetValueOrDefault("external help file") != expectedHelpFile) Bad($"front matter 'external help file' must be {expectedHelpFile}");
            if (doc.FrontMatter.GetValueOrDefault("Module Name") != "CfManagement") Bad("front matter 'Module Name' must be CfManagement");
            if (!doc.FrontMatter.ContainsKey("online version")) Bad("front matter lacks 'online version:'");
            if (doc.FrontMatter.GetValueOrDefault("schema") != "2.0.0") Bad("front matter 'schema' must be 2.0.0");
            if (doc.Title != name) Bad($"title '# {doc.Title}' differs from the file name");
            if (!doc.SectionOrder.SequenceEqual(HelpMarkdown.Sections))
                Bad($"sections are [{string.Join(", ", doc.SectionOrder)}], expected [{string.Join(", ", HelpMarkdown.Sections)}]");
            if (doc.Synopsis.Length == 0) Bad("empty SYNOPSIS");
            if (doc.Description.Length < 40) Bad("DESCRIPTION is missing or a stub");
            if (doc.Notes.Length == 0) Bad("empty NOTES");
            if (doc.Syntax.Count == 0 || doc.Syntax.Any(s => !s.Text.StartsWith(name + " ", StringComparison.Ordinal) && s.Text != name))
                Bad("every SYNTAX block must hold one line starting with the command name");
            if (doc.Syntax.Count(s => s.IsDefault) != 1 && doc.Syntax.Count > 1) Bad("exactly one SYNTAX set is marked (Default)");
            if (doc.Examples.Count < 2) Bad($"{doc.Examples.Count} example(s); at least two are required");
            for (var i = 0; i < doc.Examples.Count; i++)
            {
                var example = doc.Examples[i];
                if (!example.Title.StartsWith($"Example {i + 1}: ", StringComparison.Ordinal)) Bad($"example {i + 1} is titled '{example.Title}'");
                if (example.CodeLanguage != "powershell" || example.Code.Trim().Length == 0) Bad($"'{example.Title}' needs a ```powershell block");
                if (example.Text.Length < 20) Bad($"'{example.Title}' needs text explaining it");
            }
            if (!doc.HasCommonParameters) Bad("no '### CommonParameters'");
            foreach (var parameter in doc.Parameters)
            {
                if (parameter.Description.Length < 10) Bad($"-{parameter.Name} has no real description");
                if (parameter.Yaml.Count == 0) Bad($"-{parameter.Name} has no ```yaml block");
                foreach (var yaml in parameter.Yaml)
                    foreach (var key in HelpMarkdown.YamlKeys.Where(k => !yaml.ContainsKey(k)))
                        Bad($"-{parameter.Name} yaml lacks '{key}:'");
            }
            if (doc.Inputs.Count == 0) Bad("INPUTS needs a '### Type' (or '### None')");
            if (doc.Outputs.Count == 0) Bad("OUTPUTS needs a '### Type' (or '### None')");
            if (Regex.IsMatch(File.ReadAllText(doc.Path), @"\{\{\s*(Fill|Add)\b")) Bad("PlatyPS placeholder left in");
        }
        AssertNone(problems, "malformed help markdown");
    }

    [Fact]
    public void Notes_name_the_ErrorIds_scripts_can_match_and_only_real_ones()
    {
        var known = ErrorIdNames();
        Assert.Contains("TokenNotFound", known);
        var problems = new List<string>();
        foreach (var (name, doc) in fixture.Docs)
        {
            var mentioned = Regex.Matches(doc.Notes, @"(?<![-\w.$])(Invalid[A-Z]\w*|Missing[A-Z]\w*|Api[A-Z]\w*|NotConnected|SessionDisposed|TokenNot\w+|PermissionGroup[A-Z]\w*|AccountIdRequired)\b")
                .Select(m => m.Value).Distinct().ToList();
            // Commands that cannot fail say so; the rest list what a script can match on $_.FullyQualifiedErrorId.
            if (!doc.Notes.Contains("ErrorId", StringComparison.Ordinal) || (mentioned.Count == 0 && !doc.Notes.Contains("no ErrorIds", StringComparison.Ordinal)))
                problems.Add($"{name}.md: NOTES must list the ErrorIds the command can emit (or say it emits no ErrorIds)");
            problems.AddRange(mentioned.Where(m => !known.Contains(m)).Select(m => $"{name}.md: NOTES mention '{m}', which is not in ErrorIds.cs"));
        }
        AssertNone(problems, "ErrorIds in NOTES");
    }

    private static HashSet<string> ErrorIdNames()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "CfManagement.Cmdlets", "Errors", "ErrorIds.cs"));
        return Regex.Matches(source, @"const string (\w+) =").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void Get_Help_shows_the_markdown_synopsis_description_and_examples_not_the_generated_stub()
    {
        var problems = new List<string>();
        foreach (var command in fixture.Commands)
        {
            if (!fixture.Docs.TryGetValue(command.Name, out var doc)) continue; // reported by the coverage test
            var help = fixture.Ps.Run("Get-Help -Name $args[0] -Full", args: [command.Name]);
            if (help.AllErrors.Any() || help.Output.Count != 1)
            {
                problems.Add($"{command.Name}: Get-Help -Full gave {help.Output.Count} object(s), errors: {string.Join("; ", help.AllErrors)}");
                continue;
            }
            var info = help.Output[0];
            var synopsis = Squash(info.Properties["Synopsis"]?.Value?.ToString());
            if (synopsis != doc.Synopsis)
                problems.Add($"{command.Name}: Get-Help synopsis is '{synopsis}', the markdown says '{doc.Synopsis}' (is the MAML in out/CfManagement/en-US?)");
            var description = Squash(string.Join(" ", Texts(info.Properties["description"]?.Value)));
            if (description.Length == 0 || !doc.Description.StartsWith(description[..Math.Min(40, description.Length)], StringComparison.Ordinal))
                problems.Add($"{command.Name}: Get-Help description does not come from the markdown");
            var examples = Items(info.Properties["examples"]?.Value, "example");
            if (examples.Count < 2) problems.Add($"{command.Name}: Get-Help shows {examples.Count} example(s)");
            // PowerShell looks for a cmdlet's HelpFile under its module's ModuleBase, in culture folders (then en-US).
            var moduleBase = fixture.Ps.Run("(Get-Command -Name $args[0]).Module.ModuleBase", args: [command.Name]).Output.FirstOrDefault()?.ToString();
            if (command is CmdletInfo && Path.Combine(moduleBase ?? "", "en-US", "CfManagement.Cmdlets.dll-Help.xml") != fixture.MamlFile)
                problems.Add($"{command.Name}: ModuleBase is '{moduleBase}', so help in {fixture.MamlFile} would not be found");
            if (examples.Count > 0 && !Squash(examples[0].Properties["code"]?.Value?.ToString()).Contains(Squash(doc.Examples[0].Code), StringComparison.Ordinal))
                problems.Add($"{command.Name}: the first example's code differs from the markdown");
        }
        AssertNone(problems, "Get-Help content");
    }

    [Fact]
    public void Get_Help_describes_every_parameter_the_cmdlet_really_has()
    {
        var problems = new List<string>();
        foreach (var command in fixture.Commands)
        {
            var help = fixture.Ps.Run("Get-Help -Name $args[0] -Full", args: [command.Name]);
            var parameters = help.Output.Count == 1 ? Items(help.Output[0].Properties["parameters"]?.Value, "parameter") : [];
            var described = parameters.ToDictionary(
                p => p.Properties["name"]?.Value?.ToString() ?? "",
                p => Squash(string.Join(" ", Texts(p.Properties["description"]?.Value))),
                StringComparer.OrdinalIgnoreCase);
            foreach (var name in RealParameters(command))
                if (!described.TryGetValue(name, out var text) || text.Length == 0)
                    problems.Add($"{command.Name} -{name}: no description in Get-Help -Full");
        }
        AssertNone(problems, "undocumented parameters");
    }

    [Fact]
    public void Markdown_parameters_exist_on_the_cmdlet_and_match_its_metadata()
    {
        var problems = new List<string>();
        foreach (var command in fixture.Commands)
        {
            if (!fixture.Docs.TryGetValue(command.Name, out var doc)) continue;
            void Bad(string message) => problems.Add($"{command.Name}: {message}");
            var real = RealParameters(command);
            var documented = doc.Parameters.Select(p => p.Name).ToList();
            foreach (var stale in documented.Except(real, StringComparer.Ordinal)) Bad($"-{stale} is documented but the cmdlet has no such parameter");
            foreach (var missing in real.Except(documented, StringComparer.Ordinal)) Bad($"-{missing} exists but has no '### -{missing}' block");
            if (!documented.SequenceEqual(documented.Order(StringComparer.OrdinalIgnoreCase))) Bad("parameters are not in alphabetical order (PlatyPS order)");

            // Parameter sets: the SYNTAX headings are the cmdlet's sets, default marked, each listing that set's parameters.
            var sets = command.ParameterSets.ToList();
            var setNames = sets.Select(s => s.Name).ToList();
            var docSets = doc.Syntax.Select(s => s.SetName).ToList();
            if (!docSets.Order().SequenceEqual(setNames.Order()))
                Bad($"SYNTAX sets [{string.Join(", ", docSets)}] differ from the cmdlet's [{string.Join(", ", setNames)}]");
            foreach (var block in doc.Syntax)
            {
                var set = sets.FirstOrDefault(s => s.Name == block.SetName);
                if (set == null) continue;
                if (sets.Count > 1 && block.IsDefault != set.IsDefault) Bad($"set {set.Name}: (Default) marker is wrong");
                var inText = Regex.Matches(block.Text, @"(?<=[\s\[])-(\w+)\b").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
                var inSet = set.Parameters.Select(p => p.Name).Where(n => !Common.Contains(n)).Order(StringComparer.Ordinal);
                if (!inText.SequenceEqual(inSet)) Bad($"SYNTAX for set {set.Name} lists [{string.Join(", ", inText)}], the set has [{string.Join(", ", inSet)}]");
                if (!block.Text.TrimEnd().EndsWith("[<CommonParameters>]", StringComparison.Ordinal)) Bad($"SYNTAX for set {set.Name} must end with [<CommonParameters>]");
            }

            foreach (var parameter in doc.Parameters.Where(p => real.Contains(p.Name)))
            {
                var metadata = command.Parameters[parameter.Name];
                var memberOf = sets.Where(s => s.Parameters.Any(p => p.Name == parameter.Name)).ToList();
                var covered = new List<string>();
                foreach (var yaml in parameter.Yaml)
                {
                    var declared = yaml.GetValueOrDefault("Parameter Sets") ?? "";
                    var appliesTo = declared == "(All)" ? setNames : declared.Split(',').Select(s => s.Trim()).ToList();
                    if (declared == "(All)" && memberOf.Count != sets.Count)
                        Bad($"-{parameter.Name}: Parameter Sets is (All), but it is only in {string.Join(", ", memberOf.Select(s => s.Name))}");
                    covered.AddRange(appliesTo);
                    var type = FriendlyType(metadata.ParameterType);
                    if (yaml.GetValueOrDefault("Type") != type) Bad($"-{parameter.Name}: Type is '{yaml.GetValueOrDefault("Type")}', the cmdlet's is {type}");
                    var aliases = (yaml.GetValueOrDefault("Aliases") ?? "").Split(',').Select(a => a.Trim()).Where(a => a.Length > 0).Order();
                    if (!aliases.SequenceEqual(metadata.Aliases.Order())) Bad($"-{parameter.Name}: Aliases '{yaml.GetValueOrDefault("Aliases")}', the cmdlet's are '{string.Join(", ", metadata.Aliases)}'");
                    var globbing = metadata.Attributes.OfType<SupportsWildcardsAttribute>().Any() ? "True" : "False";
                    if (yaml.GetValueOrDefault("Accept wildcard characters") != globbing) Bad($"-{parameter.Name}: 'Accept wildcard characters' should be {globbing}");
                    var enumType = Nullable.GetUnderlyingType(metadata.ParameterType) ?? metadata.ParameterType;
                    if (enumType.IsEnum && yaml.GetValueOrDefault("Accepted values") != string.Join(", ", Enum.GetNames(enumType)))
                        Bad($"-{parameter.Name}: 'Accepted values' should be {string.Join(", ", Enum.GetNames(enumType))}");
                    foreach (var setName in appliesTo)
                    {
                        var inSet = sets.FirstOrDefault(s => s.Name == setName)?.Parameters.FirstOrDefault(p => p.Name == parameter.Name);
                        if (inSet == null)
                        {
                            Bad($"-{parameter.Name}: documented in set '{setName}', where the cmdlet does not have it");
                            continue;
                        }
                        var required = inSet.IsMandatory ? "True" : "False";
                        var position = inSet.Position == int.MinValue ? "Named" : inSet.Position.ToString();
                        var pipeline = (inSet.ValueFromPipelineByPropertyName, inSet.ValueFromPipeline) switch
                        {
                            (true, true) => "True (ByPropertyName, ByValue)",
                            (true, false) => "True (ByPropertyName)",
                            (false, true) => "True (ByValue)",
                            _ => "False",
                        };
                        if (yaml.GetValueOrDefault("Required") != required) Bad($"-{parameter.Name} in {setName}: Required should be {required}");
                        if (yaml.GetValueOrDefault("Position") != position) Bad($"-{parameter.Name} in {setName}: Position should be {position}");
                        if (yaml.GetValueOrDefault("Accept pipeline input") != pipeline) Bad($"-{parameter.Name} in {setName}: 'Accept pipeline input' should be {pipeline}");
                    }
                }
                foreach (var set in memberOf.Where(s => !covered.Contains(s.Name)))
                    Bad($"-{parameter.Name}: the cmdlet has it in set {set.Name}, the yaml does not say so");
            }
        }
        AssertNone(problems, "markdown out of step with the cmdlets");
    }

    [Fact]
    public void The_compiled_MAML_is_valid_and_holds_every_documented_cmdlet()
    {
        Assert.True(File.Exists(fixture.MamlFile), $"{fixture.MamlFile} is missing: dotnet build compiles it from docs/help");
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
        XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        var document = XDocument.Load(fixture.MamlFile);
        Assert.Equal("helpItems", document.Root!.Name.LocalName);
        Assert.Equal("maml", document.Root.Attribute("schema")?.Value);
        var compiled = document.Root.Elements(command + "command").ToList();
        var expected = fixture.Docs.Values.Where(d => d.FrontMatter.GetValueOrDefault("external help file") == "CfManagement.Cmdlets.dll-Help.xml").Select(d => d.Title).Order();
        Assert.Equal(expected, compiled.Select(c => c.Element(command + "details")!.Element(command + "name")!.Value).Order());
        foreach (var c in compiled)
        {
            var details = c.Element(command + "details")!;
            var name = details.Element(command + "name")!.Value;
            Assert.Equal(name, details.Element(command + "verb")!.Value + "-" + details.Element(command + "noun")!.Value);
            Assert.NotEmpty(details.Element(maml + "description")!.Elements(maml + "para"));
            Assert.NotEmpty(c.Element(maml + "description")!.Elements(maml + "para"));
            Assert.NotEmpty(c.Element(command + "syntax")!.Elements(command + "syntaxItem"));
            foreach (var parameter in c.Descendants(command + "parameter").Where(p => p.Parent!.Name != command + "parameterValueGroup"))
                foreach (var attribute in new[] { "required", "position", "pipelineInput", "globbing", "aliases", "variableLength" })
                    Assert.True(parameter.Attribute(attribute) != null, $"{name}: a command:parameter lacks {attribute}");
            Assert.NotEmpty(c.Element(command + "inputTypes")!.Elements(command + "inputType"));
            Assert.NotEmpty(c.Element(command + "returnValues")!.Elements(command + "returnValue"));
            var examples = c.Element(command + "examples")!.Elements(command + "example").ToList();
            Assert.True(examples.Count >= 2, name);
            Assert.All(examples, e =>
            {
                Assert.NotEmpty(e.Element(maml + "title")!.Value);
                Assert.NotEmpty(e.Element(dev + "code")!.Value);
                Assert.NotEmpty(e.Element(dev + "remarks")!.Elements(maml + "para"));
            });
            Assert.NotNull(c.Element(command + "relatedLinks"));
        }
    }

    private static string FriendlyType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? FriendlyType(type.GetElementType()!) + "[]" : type.Name;
    }

    /// <summary>Help objects hold lists as one object or an array; this flattens either.</summary>
    private static List<PSObject> Items(object? container, string property)
    {
        if (container is not PSObject pso) return [];
        var value = pso.Properties[property]?.Value;
        return value switch
        {
            null => [],
            object[] array => array.Select(PSObject.AsPSObject).ToList(),
            PSObject single when single.BaseObject is object[] inner => inner.Select(PSObject.AsPSObject).ToList(),
            _ => [PSObject.AsPSObject(value)],
        };
    }

    private static IEnumerable<string> Texts(object? value)
    {
        var items = value switch
        {
            null => [],
            object[] array => array,
            PSObject p when p.BaseObject is object[] inner => inner,
            _ => new[] { value },
        };
        foreach (var item in items)
        {
            var pso = PSObject.AsPSObject(item);
            yield return pso.Properties["Text"]?.Value?.ToString() ?? pso.ToString();
        }
    }
}
