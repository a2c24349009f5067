using System.Collections.Generic;
using System.Security;
using CfManagement.Errors;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// Reads a .env / .dev.vars file the way wrangler does (it uses the dotenv package), but refuses what dotenv would
    /// silently skip, naming the file and line. The rules:
    /// <list type="bullet">
    /// <item>blank lines and lines whose first non-blank character is # are ignored; an optional "export " prefix is dropped;</item>
    /// <item>NAME = value, blanks around = allowed; a line without = is an error;</item>
    /// <item>unquoted values end at the end of the line or at #, as in dotenv (quote a value that holds #), and are trimmed;</item>
    /// <item>'single' quotes are literal; "double" quotes expand \n \r \t \" \\ (other backslashes stay); `backticks` take \` for a
    /// backtick; any quoted value may span lines; after the closing quote only blanks and a # comment may follow;</item>
    /// <item>CRLF and LF line ends both work (a CRLF inside a quoted value becomes LF); a UTF-8 BOM is ignored.</item>
    /// </list>
    /// Values are turned into SecureString as they are read, and never appear in an error.
    /// </summary>
    internal static class DotEnvParser
    {
        public static IReadOnlyList<ParsedSecret> Parse(string text, string file)
        {
            var result = new List<ParsedSecret>();
            var i = 0;
            var line = 1;
            var n = text.Length;
            if (n > 0 && text[0] == '\uFEFF') i = 1;

            while (i < n)
            {
                var entryLine = line;
                SkipBlanks(text, ref i);
                if (i >= n) break;
                if (IsLineEnd(text[i])) { ConsumeLineEnd(text, ref i, ref line); continue; }
                if (text[i] == '#') { SkipToLineEnd(text, ref i); continue; }

                if (StartsWithExport(text, i)) { i += "export".Length; SkipBlanks(text, ref i); }

                var nameStart = i;
                while (i < n && text[i] != '=' && text[i] != ' ' && text[i] != '\t' && !IsLineEnd(text[i]) && text[i] != '#') i++;
                var name = text.Substring(nameStart, i - nameStart);
                SkipBlanks(text, ref i);
                if (name.Length == 0 || i >= n || text[i] != '=')
                    throw Syntax(file, entryLine, name.Length == 0
                        ? "expected NAME=value"
                        : "has no '=' after the name (expected NAME=value)");
                i++; // '='
                SkipBlanks(text, ref i);

                SecureString value;
                if (i < n && (text[i] == '"' || text[i] == '\'' || text[i] == '`'))
                {
                    value = ReadQuoted(text, ref i, ref line, file, entryLine);
                    SkipBlanks(text, ref i);
                    if (i < n && text[i] == '#') SkipToLineEnd(text, ref i);
                    else if (i < n && !IsLineEnd(text[i]))
                        throw Syntax(file, line, "has text after the closing quote (only a # comment may follow)");
                }
                else
                {
                    var start = i;
                    while (i < n && !IsLineEnd(text[i]) && text[i] != '#') i++;
                    var end = i;
                    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
                    value = new SecureString();
                    for (var k = start; k < end; k++) value.AppendChar(text[k]);
                    value.MakeReadOnly();
                    SkipToLineEnd(text, ref i);
                }
                result.Add(new ParsedSecret(name, value, entryLine));
                if (i < n) ConsumeLineEnd(text, ref i, ref line);
            }
            return result;
        }

        private static SecureString ReadQuoted(string text, ref int i, ref int line, string file, int openingLine)
        {
            var quote = text[i++];
            var value = new SecureString();
            while (true)
            {
                if (i >= text.Length)
                {
                    value.Dispose();
                    throw Syntax(file, openingLine, $"opens a {QuoteName(quote)} value that is never closed");
                }
                var c = text[i];
                if (c == quote) { i++; break; }
                if (c == '\\' && quote != '\'' && i + 1 < text.Length)
                {
                    var next = text[i + 1];
                    char? mapped = quote == '"'
                        ? next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '"' => '"', '\\' => '\\', _ => (char?)null }
                        : next == '`' ? '`' : (char?)null;
                    if (mapped.HasValue) { value.AppendChar(mapped.Value); i += 2; continue; }
                }
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { i++; c = '\n'; }
                if (c == '\n' || c == '\r') line++;
                value.AppendChar(c == '\r' ? '\n' : c);
                i++;
            }
            value.MakeReadOnly();
            return value;
        }

        private static string QuoteName(char quote) => quote == '"' ? "double-quoted" : quote == '\'' ? "single-quoted" : "backtick-quoted";

        private static bool StartsWithExport(string text, int i) =>
            string.CompareOrdinal(text, i, "export", 0, 6) == 0 && i + 6 < text.Length && (text[i + 6] == ' ' || text[i + 6] == '\t');

        private static bool IsLineEnd(char c) => c == '\n' || c == '\r';

        private static void SkipBlanks(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
        }

        private static void SkipToLineEnd(string text, ref int i)
        {
            while (i < text.Length && !IsLineEnd(text[i])) i++;
        }

        private static void ConsumeLineEnd(string text, ref int i, ref int line)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            i++;
            line++;
        }

        private static SecretInputException Syntax(string file, int line, string what) =>
            new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileSyntaxError,
                $"{file} line {line} {what}.",
                "Fix that line: NAME=value, with the value in quotes when it holds #, quotes or line breaks (see help about .env files in Set-CfWorkerSecret).",
                file, line));
    }
}
