using System;
using System.IO;
using System.Text;

namespace CfManagement.Secrets
{
    /// <summary>
    /// The two GitHub Actions formats a value passes through: the <c>::add-mask::</c> workflow command on stdout, and a
    /// heredoc entry in the $GITHUB_ENV / $GITHUB_OUTPUT file:
    /// <code>
    /// NAME&lt;&lt;ghadelimiter_&lt;guid&gt;
    /// value (any number of lines)
    /// ghadelimiter_&lt;guid&gt;
    /// </code>
    /// The delimiter is random so the value cannot end the entry early and smuggle in other variables (a value holding a
    /// line "X=..." would otherwise set X); it is checked not to occur in the value. Lines end with
    /// <see cref="Environment.NewLine"/>, as @actions/core writes them. Messages never contain the value.
    /// </summary>
    internal static class GitHubActionsFile
    {
        private const int DelimiterAttempts = 5;
        private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>A fresh delimiter, in the shape @actions/core uses.</summary>
        public static string NewDelimiter() => "ghadelimiter_" + Guid.NewGuid().ToString();

        /// <summary>
        /// One heredoc entry for <paramref name="name"/>. Throws InvalidOperationException when the value (or name)
        /// contains the delimiter, which would end the entry early.
        /// </summary>
        public static string FormatEntry(string name, string value, string delimiter)
        {
            if (value.IndexOf(delimiter, StringComparison.Ordinal) >= 0 || name.IndexOf(delimiter, StringComparison.Ordinal) >= 0)
                throw new InvalidOperationException($"The value for {name} contains the heredoc delimiter '{delimiter}'; it would end the entry early.");
            var eol = Environment.NewLine;
            return $"{name}<<{delimiter}{eol}{value}{eol}{delimiter}{eol}";
        }

        /// <summary>
        /// Formats with the first of up to five fresh delimiters that does not occur in the value (a collision with a
        /// random GUID only happens when the value was built to contain it).
        /// </summary>
        public static string FormatEntry(string name, string value, Func<string> newDelimiter)
        {
            for (var attempt = 1; ; attempt++)
            {
                var delimiter = newDelimiter();
                if (value.IndexOf(delimiter, StringComparison.Ordinal) < 0 && name.IndexOf(delimiter, StringComparison.Ordinal) < 0)
                    return FormatEntry(name, value, delimiter);
                if (attempt == DelimiterAttempts)
                    throw new InvalidOperationException($"The value for {name} contains every heredoc delimiter tried ({DelimiterAttempts}); it cannot be written safely.");
            }
        }

        /// <summary>Appends one entry, UTF-8 without BOM, never truncating what earlier steps or commands wrote.</summary>
        public static void Append(string path, string name, string value, Func<string>? newDelimiter = null)
        {
            var bytes = Utf8NoBom.GetBytes(FormatEntry(name, value, newDelimiter ?? NewDelimiter));
            // One write of the whole entry: FileMode.Append seeks to the end and cannot overwrite.
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        /// <summary>
        /// Registers the value with the runner as a secret: one <c>::add-mask::</c> command per non-empty line, because the
        /// runner masks each command's data as one string and a multi-line value is logged line by line. '%', CR and LF
        /// are escaped as the runner unescapes command data (%25, %0D, %0A), so the runner masks exactly the value.
        /// </summary>
        public static void WriteMask(TextWriter stdout, string value)
        {
            foreach (var line in value.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.None))
            {
                if (line.Trim().Length == 0) continue; // the runner ignores blank masks; whitespace is never secret
                stdout.Write("::add-mask::" + EscapeData(line) + "\n");
            }
            stdout.Flush();
        }

        public static string EscapeData(string data) => data.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    }
}
