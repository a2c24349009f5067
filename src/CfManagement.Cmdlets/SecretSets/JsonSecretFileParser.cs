using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using CfManagement.Errors;
using CfManagement.Http;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// Reads wrangler's bulk JSON format: one object, NAME → "value" (a string) or null (delete the secret, as
    /// `wrangler versions secret bulk` does). Comments and trailing commas are allowed; duplicate names, other value
    /// types and anything but one object are refused with the file and line. Values never appear in an error.
    /// </summary>
    internal static class JsonSecretFileParser
    {
        public static IReadOnlyList<ParsedSecret> Parse(string text, string file)
        {
            var bytes = Encoding.UTF8.GetBytes(text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var result = new List<ParsedSecret>();
            var lines = new LineCounter(bytes);
            try
            {
                if (!reader.Read()) throw Problem(file, 1, "is empty (expected a JSON object of NAME: \"value\")");
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw Problem(file, lines.At(reader.TokenStartIndex), "must hold one JSON object of NAME: \"value\" pairs");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var line = lines.At(reader.TokenStartIndex);
                    var name = reader.GetString() ?? "";
                    reader.Read();
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            result.Add(new ParsedSecret(name, SecureStringReader.FromPlainText(reader.GetString() ?? ""), line));
                            break;
                        case JsonTokenType.Null:
                            result.Add(new ParsedSecret(name, null, line));
                            break;
                        default:
                            // Skip the value (an object or array) so the error names the secret, not its content.
                            throw Problem(file, line, $"gives '{name}' a {Describe(reader.TokenType)}; a secret is a string (or null to delete it)");
                    }
                }
                if (reader.Read())
                    throw Problem(file, lines.At(reader.TokenStartIndex), "has more after the closing brace of the object");
            }
            catch (JsonException ex)
            {
                // System.Text.Json's message can quote the text it stumbled on: give only the position.
                var line = (int)(ex.LineNumber ?? 0) + 1;
                throw Problem(file, line, "is not valid JSON there");
            }
            return result;
        }

        private static string Describe(JsonTokenType type) => type switch
        {
            JsonTokenType.StartObject => "JSON object",
            JsonTokenType.StartArray => "JSON array",
            JsonTokenType.Number => "number",
            JsonTokenType.True or JsonTokenType.False => "boolean",
            _ => type.ToString(),
        };

        private static SecretInputException Problem(string file, int line, string what) =>
            new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileSyntaxError, $"{file} line {line} {what}.",
                "Write the file as {\"NAME\": \"value\", \"OLD_NAME\": null} (wrangler's bulk format).", file, line));

        /// <summary>1-based line of a byte offset, counted forward only (the reader moves forward).</summary>
        private sealed class LineCounter
        {
            private readonly byte[] _bytes;
            private long _offset;
            private int _line = 1;

            public LineCounter(byte[] bytes) => _bytes = bytes;

            public int At(long offset)
            {
                for (; _offset < offset && _offset < _bytes.Length; _offset++)
                    if (_bytes[_offset] == (byte)'\n') _line++;
                return _line;
            }
        }
    }
}
