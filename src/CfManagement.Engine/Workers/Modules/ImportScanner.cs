using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace CfManagement.Workers.Modules
{
    /// <summary>One module specifier a JavaScript module names, with its 1-based line.</summary>
    public sealed class ModuleImport
    {
        public ModuleImport(string specifier, int line)
        {
            Specifier = specifier;
            Line = line;
        }

        public string Specifier { get; }
        public int Line { get; }

        /// <summary>./ or ../: a file of the upload. Anything else (cloudflare:workers, node:buffer, a package) the runtime provides or refuses.</summary>
        public bool IsRelative => Specifier.StartsWith("./") || Specifier.StartsWith("../");
    }

    /// <summary>
    /// Finds the specifiers a module imports without running or bundling it: static <c>import ... from "x"</c> and
    /// <c>import "x"</c>, <c>export ... from "x"</c>, <c>import("x")</c> with a literal, and <c>require("x")</c>.
    /// Comments are blanked first (keeping line breaks, so lines stay right); string contents are left alone.
    /// </summary>
    public static class ImportScanner
    {
        private static readonly Regex Static = new Regex(
            @"(?<![\w$.])(?:import|export)\s*(?:type\s+)?(?:[\w$*{}\s,]+?\s*from\s*)?(?<q>[""'])(?<spec>[^""'\r\n]+)\k<q>",
            RegexOptions.CultureInvariant);

        private static readonly Regex Call = new Regex(
            @"(?<![\w$.])(?:import|require)\s*\(\s*(?<q>[""'`])(?<spec>[^""'`\r\n$]+)\k<q>\s*\)",
            RegexOptions.CultureInvariant);

        public static IReadOnlyList<ModuleImport> Scan(string source)
        {
            var code = BlankComments(source);
            var found = new List<(int Index, string Spec)>();
            foreach (Match m in Static.Matches(code)) found.Add((m.Groups["spec"].Index, m.Groups["spec"].Value));
            foreach (Match m in Call.Matches(code)) found.Add((m.Groups["spec"].Index, m.Groups["spec"].Value));
            found.Sort((a, b) => a.Index.CompareTo(b.Index));
            var result = new List<ModuleImport>();
            var line = 1;
            var at = 0;
            foreach (var (index, spec) in found)
            {
                for (; at < index; at++) if (code[at] == '\n') line++;
                result.Add(new ModuleImport(spec, line));
            }
            return result;
        }

        /// <summary>Replaces // and /* */ comments with spaces (line breaks kept); quotes and template literals are skipped over intact.</summary>
        internal static string BlankComments(string source)
        {
            var sb = new StringBuilder(source);
            var i = 0;
            while (i < sb.Length)
            {
                var c = sb[i];
                if (c == '"' || c == '\'' || c == '`')
                {
                    i++;
                    while (i < sb.Length && sb[i] != c)
                    {
                        if (sb[i] == '\\') i++;
                        else if (c != '`' && sb[i] == '\n') break; // an unterminated quote ends at the line
                        i++;
                    }
                    i++;
                }
                else if (c == '/' && i + 1 < sb.Length && sb[i + 1] == '/')
                {
                    while (i < sb.Length && sb[i] != '\n') sb[i++] = ' ';
                }
                else if (c == '/' && i + 1 < sb.Length && sb[i + 1] == '*')
                {
                    sb[i++] = ' ';
                    sb[i++] = ' ';
                    while (i < sb.Length && !(sb[i] == '*' && i + 1 < sb.Length && sb[i + 1] == '/'))
                    {
                        if (sb[i] != '\n') sb[i] = ' ';
                        i++;
                    }
                    if (i < sb.Length) { sb[i++] = ' '; sb[i++] = ' '; }
                }
                else i++;
            }
            return sb.ToString();
        }
    }
}
