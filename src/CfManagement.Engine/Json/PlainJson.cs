using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace CfManagement.Json
{
    /// <summary>
    /// Reads a JSON document (a user's file, e.g. a health profile) into the shapes PowerShell data files produce:
    /// case-insensitive Hashtables, object[] arrays, long/double numbers. It lives in the engine because the cmdlet
    /// assembly must not bind System.Text.Json itself (the host's version may differ from ours).
    /// </summary>
    public static class PlainJson
    {
        /// <summary>Parses <paramref name="text"/>; a FormatException names the line and column of a syntax error.</summary>
        public static object? Parse(string text)
        {
            try
            {
                using (var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }))
                    return Convert(document.RootElement);
            }
            catch (JsonException ex)
            {
                var where = ex.LineNumber.HasValue ? $" at line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1}" : "";
                throw new FormatException($"malformed JSON{where}", ex);
            }
        }

        private static object? Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in element.EnumerateObject())
                    {
                        if (table.ContainsKey(property.Name)) throw new FormatException($"the key '{property.Name}' appears twice");
                        table[property.Name] = Convert(property.Value);
                    }
                    return table;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(Convert).ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.TryGetInt64(out var whole) ? whole : (object)element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }
}
