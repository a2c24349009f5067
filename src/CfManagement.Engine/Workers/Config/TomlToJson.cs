using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;

namespace CfManagement.Workers.Config
{
    /// <summary>
    /// Reads wrangler.toml into the same JSON tree wrangler.json gives, so one reader serves both (wrangler itself
    /// parses TOML into the same object a JSON config is). Dates become their TOML text; table order is kept.
    /// </summary>
    internal static class TomlToJson
    {
        public static JsonObject Parse(string text, string path)
        {
            TomlTable table;
            try
            {
                table = TomlSerializer.Deserialize<TomlTable>(text)!;
            }
            catch (TomlException ex)
            {
                var line = ex.Line > 0 ? ex.Line : (int?)null;
                throw new WorkerInputException(WorkerInputFault.ConfigSyntax, "Config",
                    $"{path}{(line.HasValue ? $" line {line}" : "")}: not valid TOML: {FirstLine(ex.Message)}",
                    "Fix the TOML syntax at that line (wrangler would refuse this file too).", path, line);
            }
            return (JsonObject)Convert(table)!;
        }

        private static JsonNode? Convert(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return JsonValue.Create(s);
                case bool b: return JsonValue.Create(b);
                case long l: return JsonValue.Create(l);
                case int i: return JsonValue.Create(i);
                case double d: return JsonValue.Create(d);
                case TomlDateTime dt: return JsonValue.Create(dt.ToString());
                case DateTime dt: return JsonValue.Create(dt.ToString("o", CultureInfo.InvariantCulture));
                case DateTimeOffset dto: return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
                case TomlTable t:
                    var obj = new JsonObject();
                    foreach (var pair in t) obj[pair.Key] = Convert(pair.Value);
                    return obj;
                case IDictionary<string, object?> dict:
                    var o = new JsonObject();
                    foreach (var pair in dict) o[pair.Key] = Convert(pair.Value);
                    return o;
                case IEnumerable list:
                    var array = new JsonArray();
                    foreach (var item in list) array.Add(Convert(item));
                    return array;
                default: return JsonValue.Create(System.Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        private static string FirstLine(string message)
        {
            var end = message.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? message : message.Substring(0, end);
        }
    }
}
