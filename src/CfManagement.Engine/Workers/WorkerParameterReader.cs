using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text.Json.Nodes;
using CfManagement.Workers.Config;
using CfManagement.Workers.Upload;

namespace CfManagement.Workers
{
    /// <summary>
    /// Turns Publish-CfWorker's parameters (hashtables and objects already unwrapped to plain .NET values by the cmdlet)
    /// into bindings and settings. Field names are the API's (namespace_id, bucket_name, ...); the config's spellings
    /// (binding, id, database_id, queue) are accepted too, so a wrangler entry can be pasted as a hashtable.
    /// </summary>
    public static class WorkerParameterReader
    {
        private static readonly Dictionary<string, Dictionary<string, string>> Aliases = new Dictionary<string, Dictionary<string, string>>
        {
            ["kv_namespace"] = new Dictionary<string, string> { ["id"] = "namespace_id" },
            ["d1"] = new Dictionary<string, string> { ["database_id"] = "id" },
            ["queue"] = new Dictionary<string, string> { ["queue"] = "queue_name" },
        };

        /// <summary>One -Binding entry: <c>@{ type = 'kv_namespace'; name = 'CACHE'; namespace_id = '...' }</c>.</summary>
        public static WorkerBinding Binding(IDictionary<string, object?> entry, string origin)
        {
            var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in entry) fields[pair.Key] = pair.Value;
            var name = Text(Take(fields, "name") ?? Take(fields, "binding"), origin, "name");
            var type = Text(Take(fields, "type"), origin, "type")?.ToLowerInvariant();
            if (string.IsNullOrEmpty(type))
                throw new WorkerInputException(WorkerInputFault.Binding, Source(origin), $"{origin}: binding '{name}' has no type.",
                    $"Add type = one of {string.Join(", ", BindingKinds.Types)}.");
            if (Aliases.TryGetValue(type!, out var aliases))
                foreach (var alias in aliases)
                    if (fields.ContainsKey(alias.Key) && !fields.ContainsKey(alias.Value)) fields[alias.Value] = Take(fields, alias.Key);

            SecureString? secret = null;
            if (type == "secret_text")
            {
                var text = Take(fields, "text");
                secret = text as SecureString ?? throw new WorkerInputException(WorkerInputFault.Binding, Source(origin),
                    $"{origin}: the text of secret_text binding '{name}' must be a SecureString{(text == null ? "" : ", not plain text")}.",
                    "Pass text = (Read-Host -AsSecureString), or ConvertTo-SecureString -AsPlainText -Force from a CI secret; plain text would be echoed by PowerShell.");
            }
            // The type's fields in their documented order, then anything else (refused by BindingKinds.Check, by name).
            var order = BindingKinds.FieldsOf(type!);
            var keys = fields.Keys.OrderBy(k => { var i = IndexOf(order, k); return i < 0 ? int.MaxValue : i; }).ThenBy(k => k, StringComparer.Ordinal).ToList();
            var mapped = keys.Select(k => new KeyValuePair<string, JsonNode?>(CanonicalKey(order, k), ToJson(fields[k], $"{origin}.{k}"))).ToList();
            return new WorkerBinding(name ?? "", type!, mapped, origin, secret);
        }

        /// <summary>One -Var entry: a string is plain_text, a SecureString secret_text, anything else json (as wrangler sends vars).</summary>
        public static WorkerBinding Var(string name, object? value, string origin)
        {
            if (value is SecureString secure) return new WorkerBinding(name, "secret_text", new KeyValuePair<string, JsonNode?>[0], origin, secure);
            return WranglerConfigReader.VarBinding(name, ToJson(value, origin), origin);
        }

        /// <summary>-Observability: $true/$false for <c>{enabled}</c>, or a hashtable sent as it is.</summary>
        public static void SetObservability(WorkerDefinition definition, object? value)
        {
            if (value is bool enabled) definition.Observability = new JsonObject { ["enabled"] = enabled };
            else if (ToJson(value, "-Observability") is JsonObject table) definition.Observability = table;
            else
                throw new WorkerInputException(WorkerInputFault.ConfigValue, "Observability", "-Observability must be $true, $false or a hashtable like @{ enabled = $true; head_sampling_rate = 0.1 }.",
                    "Pass $true, $false or a hashtable.");
        }

        /// <summary>
        /// Plain .NET values as JSON. Hashtables are written with their keys sorted (their order varies between processes);
        /// ordered dictionaries keep theirs. A SecureString has no place in a JSON value and is refused.
        /// </summary>
        public static JsonNode? ToJson(object? value, string origin)
        {
            switch (value)
            {
                case null: return null;
                case string s: return JsonValue.Create(s);
                case bool b: return JsonValue.Create(b);
                case int i: return JsonValue.Create(i);
                case long l: return JsonValue.Create(l);
                case double d: return JsonValue.Create(d);
                case float f: return JsonValue.Create(f);
                case decimal m: return JsonValue.Create(m);
                case byte by: return JsonValue.Create(by);
                case short sh: return JsonValue.Create(sh);
                case DateTime dt: return JsonValue.Create(dt.ToString("o", CultureInfo.InvariantCulture));
                case DateTimeOffset dto: return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
                case SecureString _:
                    throw new WorkerInputException(WorkerInputFault.Binding, Source(origin), $"{origin}: a SecureString can only be the text of a secret_text binding.",
                        "Make it its own binding: @{ type = 'secret_text'; name = 'NAME'; text = $secure }.");
                case IDictionary<string, object?> typed:
                    var fromTyped = new JsonObject();
                    foreach (var pair in typed) fromTyped[pair.Key] = ToJson(pair.Value, $"{origin}.{pair.Key}");
                    return fromTyped;
                case IDictionary dictionary:
                    var obj = new JsonObject();
                    var entries = dictionary.Cast<DictionaryEntry>().Select(e => (Key: Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value));
                    if (!(dictionary is IOrderedDictionary)) entries = entries.OrderBy(e => e.Key, StringComparer.Ordinal);
                    foreach (var (key, item) in entries) obj[key] = ToJson(item, $"{origin}.{key}");
                    return obj;
                case IEnumerable list:
                    var array = new JsonArray();
                    foreach (var item in list) array.Add(ToJson(item, origin));
                    return array;
                default:
                    return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        private static object? Take(Dictionary<string, object?> fields, string key)
        {
            if (!fields.TryGetValue(key, out var value)) return null;
            fields.Remove(key);
            return value;
        }

        private static string? Text(object? value, string origin, string field) =>
            value == null || value is string ? (string?)value
                : throw new WorkerInputException(WorkerInputFault.Binding, Source(origin), $"{origin}: '{field}' must be a string.", $"Quote the {field}.");

        private static int IndexOf(IReadOnlyList<string> list, string key)
        {
            for (var i = 0; i < list.Count; i++) if (string.Equals(list[i], key, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        private static string CanonicalKey(IReadOnlyList<string> order, string key)
        {
            var i = IndexOf(order, key);
            return i < 0 ? key : order[i];
        }

        /// <summary>"-Binding[2]" → "Binding": the parameter an error names.</summary>
        private static string Source(string origin) => origin.TrimStart('-').Split('[', ' ', '.')[0];
    }
}
