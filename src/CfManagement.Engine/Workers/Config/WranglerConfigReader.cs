using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Workers.Upload;

namespace CfManagement.Workers.Config
{
    /// <summary>
    /// Reads wrangler.toml / wrangler.json / wrangler.jsonc into a <see cref="WorkerDefinition"/> for one environment,
    /// with wrangler's inheritance rules (workers-utils config/validation.ts): an <c>[env.NAME]</c> inherits name
    /// (suffixed <c>-NAME</c> unless it sets its own), main, base_dir, compatibility_date/flags, logpush and
    /// observability from the top level; vars, every binding and tail_consumers are NOT inherited.
    /// </summary>
    public static class WranglerConfigReader
    {
        /// <summary>Binding kinds of wrangler's config that this upload cannot send: refused, since ignoring one would deploy a Worker without it.</summary>
        private static readonly string[] UnsupportedKeys =
        {
            "assets", "site", "hyperdrive", "vectorize", "ai", "browser", "images", "workflows", "send_email", "mtls_certificates",
            "dispatch_namespaces", "pipelines", "version_metadata", "migrations", "wasm_modules", "text_blobs", "data_blobs",
            "unsafe", "containers", "ratelimits", "vpc_services", "worker_loaders", "streaming_tail_consumers", "rules", "define",
            "secrets", "python_modules", "limits", "placement",
        };

        /// <summary>Keys that configure other parts of a deploy (routes, cron triggers, builds, dev) and are not part of the upload itself.</summary>
        private static readonly string[] IgnoredKeys =
        {
            "$schema", "account_id", "routes", "route", "workers_dev", "preview_urls", "triggers", "build", "dev", "no_bundle", "minify",
            "keep_vars", "keep_names", "upload_source_maps", "find_additional_modules", "preserve_file_names", "tsconfig", "jsx_factory",
            "jsx_fragment", "send_metrics", "legacy_env", "first_party_worker", "logfwdr", "alias", "keep_secrets",
        };

        private static readonly string[] Known =
        {
            "name", "main", "base_dir", "compatibility_date", "compatibility_flags", "logpush", "observability", "vars", "kv_namespaces",
            "d1_databases", "r2_buckets", "services", "durable_objects", "queues", "secrets_store_secrets", "analytics_engine_datasets",
            "tail_consumers", "env",
        };

        public static WorkerDefinition Read(string path, string? environment)
        {
            if (!File.Exists(path))
                throw new WorkerInputException(WorkerInputFault.ConfigNotFound, "Config", $"The config file '{path}' does not exist.",
                    "Pass the path of a wrangler.toml, wrangler.json or wrangler.jsonc.", path);
            var root = Parse(File.ReadAllText(path), path);
            return Resolve(root, path, environment);
        }

        /// <summary>The environments a config defines (for -Environment completion).</summary>
        public static IReadOnlyList<string> EnvironmentNames(string path) =>
            Parse(File.ReadAllText(path), path)["env"] is JsonObject envs ? envs.Select(e => e.Key).ToList() : new List<string>();

        /// <summary>Parses the file's text by its extension; JSON configs may hold comments and trailing commas, as wrangler allows.</summary>
        public static JsonObject Parse(string text, string path)
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension == ".toml") return TomlToJson.Parse(text, path);
            if (extension != ".json" && extension != ".jsonc")
                throw new WorkerInputException(WorkerInputFault.ConfigUnsupported, "Config",
                    $"'{path}' is not a wrangler config: the name must end in .toml, .json or .jsonc.",
                    "Pass wrangler.toml, wrangler.json or wrangler.jsonc.", path);
            try
            {
                var node = JsonNode.Parse(text, null, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return node as JsonObject ?? throw new WorkerInputException(WorkerInputFault.ConfigSyntax, "Config",
                    $"{path}: the config must be a JSON object.", "Put the settings in one { ... } object.", path, 1);
            }
            catch (JsonException ex)
            {
                var line = (int)(ex.LineNumber ?? 0) + 1;
                throw new WorkerInputException(WorkerInputFault.ConfigSyntax, "Config",
                    $"{path} line {line}: not valid JSON: {ex.Message.Split('\n')[0].Trim()}",
                    "Fix the JSON at that line (comments and trailing commas are allowed).", path, line);
            }
        }

        public static WorkerDefinition Resolve(JsonObject root, string path, string? environment)
        {
            var full = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(full)!;
            var definition = new WorkerDefinition { ConfigPath = full, Environment = environment };
            CheckKeys(root, "", definition);

            JsonObject own = root;
            string prefix = "";
            if (!string.IsNullOrEmpty(environment))
            {
                var envs = root["env"] as JsonObject;
                if (envs == null || !(envs[environment!] is JsonObject selected))
                {
                    var available = envs == null ? "it defines no environments" : $"it defines: {string.Join(", ", envs.Select(e => e.Key))}";
                    throw new WorkerInputException(WorkerInputFault.EnvironmentNotFound, "Environment",
                        $"-Environment '{environment}' is not in {path}: {available}.",
                        envs == null ? "Omit -Environment, or add an [env." + environment + "] table." : "Pass one of the environments the config defines.", path);
                }
                own = selected;
                prefix = $"env.{environment}.";
                CheckKeys(own, prefix, definition);
                if (own.ContainsKey("env"))
                    throw Value(prefix + "env", "environments cannot be nested.", "Move the inner [env] tables to the top level.", path);
            }

            // Inherited: the environment's own value, else the top level's.
            JsonNode? Inherit(string key) => own.ContainsKey(key) ? own[key] : root[key];
            string InheritPath(string key) => own.ContainsKey(key) ? prefix + key : key;

            var name = own.ContainsKey("name") ? String(own, "name", prefix, path) : String(root, "name", "", path);
            if (!own.ContainsKey("name") && name != null && prefix.Length > 0) name = $"{name}-{environment}";
            definition.Name = name;

            var main = String(own.ContainsKey("main") ? own : root, "main", own.ContainsKey("main") ? prefix : "", path);
            if (main != null) definition.Main = Path.GetFullPath(Path.Combine(folder, main));
            var baseDir = String(own.ContainsKey("base_dir") ? own : root, "base_dir", own.ContainsKey("base_dir") ? prefix : "", path);
            if (baseDir != null) definition.BaseDir = Path.GetFullPath(Path.Combine(folder, baseDir));

            definition.CompatibilityDate = Scalar<string>(Inherit("compatibility_date"), InheritPath("compatibility_date"), "a date string like \"2025-01-01\"", path);
            if (Inherit("compatibility_flags") is JsonNode flags)
                definition.CompatibilityFlags.AddRange(StringArray(flags, InheritPath("compatibility_flags"), path));
            var logpush = Inherit("logpush");
            if (logpush != null) definition.Logpush = Scalar<bool>(logpush, InheritPath("logpush"), "true or false", path);
            var observability = Inherit("observability");
            if (observability != null)
                definition.Observability = observability as JsonObject ?? throw Value(InheritPath("observability"), "must be a table/object.", "Write observability as { enabled = true, ... }.", path);

            // Not inherited: only the selected environment's own vars and bindings.
            ReadVars(own, prefix, path, definition);
            ReadBindings(own, prefix, path, definition);
            if (own["tail_consumers"] is JsonNode tails)
                foreach (var (item, at) in Items(tails, prefix + "tail_consumers", path))
                    definition.TailConsumers.Add(new WorkerTailConsumer(
                        Required(item, "service", at, path), String(item, "environment", at + ".", path), String(item, "namespace", at + ".", path)));
            return definition;
        }

        private static void CheckKeys(JsonObject table, string prefix, WorkerDefinition definition)
        {
            foreach (var pair in table)
            {
                if (Array.IndexOf(UnsupportedKeys, pair.Key) >= 0)
                    throw new WorkerInputException(WorkerInputFault.ConfigUnsupported, "Config",
                        $"{definition.ConfigPath}: '{prefix}{pair.Key}' is not supported by Publish-CfWorker (it would be dropped from the upload).",
                        $"Remove '{prefix}{pair.Key}' and deploy that part with wrangler, or deploy the Worker with wrangler.", definition.ConfigPath);
                if (Array.IndexOf(IgnoredKeys, pair.Key) >= 0) definition.IgnoredKeys.Add(prefix + pair.Key);
                else if (Array.IndexOf(Known, pair.Key) < 0)
                    throw new WorkerInputException(WorkerInputFault.ConfigUnsupported, "Config",
                        $"{definition.ConfigPath}: unknown key '{prefix}{pair.Key}'.",
                        "Correct its spelling, or remove it (see https://developers.cloudflare.com/workers/wrangler/configuration/).", definition.ConfigPath);
            }
        }

        private static void ReadVars(JsonObject own, string prefix, string path, WorkerDefinition definition)
        {
            if (own["vars"] == null) return;
            if (!(own["vars"] is JsonObject vars)) throw Value(prefix + "vars", "must be a table of NAME = value.", "Write [vars] with one NAME = value per line.", path);
            foreach (var pair in vars)
                definition.Bindings.Add(VarBinding(pair.Key, pair.Value, $"{prefix}vars.{pair.Key}"));
        }

        /// <summary>A string is plain_text; any other value (number, bool, table, array) is a json binding, as wrangler sends vars.</summary>
        public static WorkerBinding VarBinding(string name, JsonNode? value, string origin)
        {
            if (value != null && value.GetValueKind() == JsonValueKind.String)
                return new WorkerBinding(name, "plain_text", new[] { Field("text", JsonValue.Create(value.GetValue<string>())) }, origin);
            return new WorkerBinding(name, "json", new[] { Field("json", value?.DeepClone()) }, origin);
        }

        private static void ReadBindings(JsonObject own, string prefix, string path, WorkerDefinition d)
        {
            // config key, binding type, the config's name key, then (config field -> API field) in the order sent.
            Read(own, prefix, "kv_namespaces", "kv_namespace", "binding", path, d, ("id", "namespace_id", true));
            Read(own, prefix, "d1_databases", "d1", "binding", path, d, ("database_id", "id", true));
            Read(own, prefix, "r2_buckets", "r2_bucket", "binding", path, d, ("bucket_name", "bucket_name", true), ("jurisdiction", "jurisdiction", false));
            Read(own, prefix, "services", "service", "binding", path, d, ("service", "service", true), ("environment", "environment", false), ("entrypoint", "entrypoint", false));
            Read(own, prefix, "secrets_store_secrets", "secrets_store_secret", "binding", path, d, ("store_id", "store_id", true), ("secret_name", "secret_name", true));
            Read(own, prefix, "analytics_engine_datasets", "analytics_engine", "binding", path, d, ("dataset", "dataset", false));
            if (own["durable_objects"] is JsonNode dos)
            {
                if (!(dos is JsonObject doTable)) throw Value(prefix + "durable_objects", "must be a table with a bindings array.", "Write [[durable_objects.bindings]] entries.", path);
                foreach (var key in doTable.Select(p => p.Key))
                    if (key != "bindings") throw Value($"{prefix}durable_objects.{key}", "is not a durable_objects key.", "Only durable_objects.bindings is read.", path);
                Read(doTable, prefix + "durable_objects.", "bindings", "durable_object_namespace", "name", path, d,
                    ("class_name", "class_name", true), ("script_name", "script_name", false), ("environment", "environment", false));
            }
            if (own["queues"] is JsonNode queues)
            {
                if (!(queues is JsonObject queueTable)) throw Value(prefix + "queues", "must be a table with a producers array.", "Write [[queues.producers]] entries.", path);
                foreach (var key in queueTable.Select(p => p.Key))
                    if (key != "producers" && key != "consumers") throw Value($"{prefix}queues.{key}", "is not a queues key.", "Use queues.producers (bindings) or queues.consumers.", path);
                if (queueTable.ContainsKey("consumers")) d.IgnoredKeys.Add(prefix + "queues.consumers");
                Read(queueTable, prefix + "queues.", "producers", "queue", "binding", path, d, ("queue", "queue_name", true), ("delivery_delay", "delivery_delay", false));
            }
        }

        private static void Read(JsonObject own, string prefix, string key, string type, string nameKey, string path, WorkerDefinition d,
            params (string From, string To, bool Required)[] fields)
        {
            if (own[key] == null) return;
            foreach (var (item, at) in Items(own[key]!, prefix + key, path))
            {
                var name = Required(item, nameKey, at, path);
                var mapped = new List<KeyValuePair<string, JsonNode?>>();
                foreach (var field in fields)
                {
                    var value = field.Required ? Required(item, field.From, at, path) : field.From == "delivery_delay" ? null : String(item, field.From, at + ".", path);
                    if (field.From == "delivery_delay" && item["delivery_delay"] != null)
                        mapped.Add(Field(field.To, JsonValue.Create(Scalar<long>(item["delivery_delay"], at + ".delivery_delay", "a number of seconds", path))));
                    else if (value != null) mapped.Add(Field(field.To, JsonValue.Create(value)));
                }
                foreach (var extra in item.Select(p => p.Key))
                    if (extra != nameKey && !fields.Any(f => f.From == extra) && !IsWranglerOnly(extra))
                        throw Value($"{at}.{extra}", $"is not a field of {key} entries.", $"Correct its spelling; {key} entries take {nameKey}, {string.Join(", ", fields.Select(f => f.From))}.", path);
                d.Bindings.Add(new WorkerBinding(name, type, mapped, at));
            }
        }

        /// <summary>Fields wrangler uses locally (dev previews, remote bindings, resource names) that are not sent.</summary>
        private static bool IsWranglerOnly(string field) =>
            field == "preview_id" || field == "preview_bucket_name" || field == "preview_database_id" || field == "database_name" ||
            field == "remote" || field == "experimental_remote" || field == "migrations_dir" || field == "migrations_table" || field == "experimental_jurisdiction";

        private static IEnumerable<(JsonObject Item, string At)> Items(JsonNode node, string at, string path)
        {
            if (!(node is JsonArray array)) throw Value(at, "must be an array of tables.", $"Write [[{at}]] entries (TOML) or \"{at}\": [ {{ ... }} ] (JSON).", path);
            for (var i = 0; i < array.Count; i++)
                yield return (array[i] as JsonObject ?? throw Value($"{at}[{i}]", "must be a table/object.", "Write each entry as { binding = \"...\", ... }.", path), $"{at}[{i}]");
        }

        private static string Required(JsonObject item, string key, string at, string path) =>
            String(item, key, at + ".", path) is string s && s.Length > 0 ? s
                : throw new WorkerInputException(WorkerInputFault.Binding, "Config", $"{path}: {at} has no '{key}'.", $"Add {key} = \"...\" to {at}.", path);

        private static string? String(JsonObject table, string key, string prefix, string path) =>
            table[key] == null ? null : Scalar<string>(table[key], prefix + key, "a string", path);

        private static T Scalar<T>(JsonNode? node, string at, string expected, string path)
        {
            if (node is JsonValue value && value.TryGetValue<T>(out var result)) return result;
            if (node == null) return default!;
            throw Value(at, $"must be {expected}, not {node.ToJsonString()}.", $"Write {at} as {expected}.", path);
        }

        private static IEnumerable<string> StringArray(JsonNode node, string at, string path)
        {
            if (!(node is JsonArray array)) throw Value(at, "must be an array of strings.", $"Write {at} = [\"...\"].", path);
            return array.Select((n, i) => Scalar<string>(n, $"{at}[{i}]", "a string", path)).ToList();
        }

        private static KeyValuePair<string, JsonNode?> Field(string key, JsonNode? value) => new KeyValuePair<string, JsonNode?>(key, value);

        private static WorkerInputException Value(string at, string problem, string fix, string path) =>
            new WorkerInputException(WorkerInputFault.ConfigValue, "Config", $"{path}: '{at}' {problem}", fix, path);
    }
}
