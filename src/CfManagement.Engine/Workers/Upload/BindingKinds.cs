using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CfManagement.Workers.Upload
{
    /// <summary>
    /// The binding types Publish-CfWorker sends, their required and optional fields (API-FACTS "Binding objects"), and
    /// wrangler's order of types in <c>metadata.bindings</c> (create-worker-upload-form.ts), so our metadata lists
    /// bindings as wrangler does.
    /// </summary>
    public static class BindingKinds
    {
        private sealed class Kind
        {
            public Kind(string type, string[] required, string[] optional)
            {
                Type = type;
                Required = required;
                Optional = optional;
            }

            public string Type { get; }
            public string[] Required { get; }
            public string[] Optional { get; }
        }

        // In wrangler's order of types.
        private static readonly Kind[] Kinds =
        {
            new Kind("inherit", new string[0], new[] { "old_name", "version_id" }),
            new Kind("plain_text", new[] { "text" }, new string[0]),
            new Kind("json", new[] { "json" }, new string[0]),
            new Kind("secret_text", new[] { "text" }, new string[0]),
            new Kind("kv_namespace", new[] { "namespace_id" }, new string[0]),
            new Kind("durable_object_namespace", new[] { "class_name" }, new[] { "script_name", "environment", "namespace_id" }),
            new Kind("queue", new[] { "queue_name" }, new[] { "delivery_delay" }),
            new Kind("r2_bucket", new[] { "bucket_name" }, new[] { "jurisdiction" }),
            new Kind("d1", new[] { "id" }, new string[0]),
            new Kind("secrets_store_secret", new[] { "store_id", "secret_name" }, new string[0]),
            new Kind("service", new[] { "service" }, new[] { "environment", "entrypoint" }),
            // dataset is optional: Cloudflare defaults it to the binding name (wrangler sends what the config has).
            new Kind("analytics_engine", new string[0], new[] { "dataset" }),
        };

        public static IReadOnlyList<string> Types { get; } = Kinds.Select(k => k.Type).ToList();

        /// <summary>wrangler's position of the type in metadata.bindings.</summary>
        public static int Order(string type) => Array.FindIndex(Kinds, k => k.Type == type);

        /// <summary>Every field the type takes, required first, in the order they are sent.</summary>
        public static IReadOnlyList<string> FieldsOf(string type)
        {
            var kind = Find(type);
            return kind == null ? new string[0] : kind.Required.Concat(kind.Optional).ToArray();
        }

        public static bool IsKnown(string type) => Find(type) != null;

        /// <summary>Throws for an unknown type, a missing or empty required field, a field the type does not take, or a bad name.</summary>
        public static void Check(WorkerBinding binding, string source)
        {
            CheckName(binding.Name, binding.Origin, source);
            var kind = Find(binding.Type) ?? throw new WorkerInputException(WorkerInputFault.Binding, source,
                $"{binding.Origin}: binding '{binding.Name}' has type '{binding.Type}', which Publish-CfWorker does not send.",
                $"Use one of: {string.Join(", ", Types)}.");
            foreach (var field in kind.Required)
            {
                if (binding.Type == "secret_text" && field == "text")
                {
                    if (binding.SecretText == null || binding.SecretText.Length == 0)
                        throw new WorkerInputException(WorkerInputFault.Binding, source,
                            $"{binding.Origin}: secret_text binding '{binding.Name}' has no value.",
                            "Give its text as a SecureString (Read-Host -AsSecureString, or ConvertTo-SecureString -AsPlainText -Force from a CI secret).");
                    continue;
                }
                var value = binding.Field(field);
                if (value == null || (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>())))
                    throw new WorkerInputException(WorkerInputFault.Binding, source,
                        $"{binding.Origin}: {binding.Type} binding '{binding.Name}' needs '{field}'.",
                        $"Add '{field}' ({binding.Type} takes {Describe(kind)}).");
            }
            foreach (var field in binding.Fields)
            {
                if (!kind.Required.Contains(field.Key) && !kind.Optional.Contains(field.Key))
                    throw new WorkerInputException(WorkerInputFault.Binding, source,
                        $"{binding.Origin}: {binding.Type} binding '{binding.Name}' has a field '{field.Key}' that the type does not take.",
                        $"Remove it or correct its spelling: {binding.Type} takes {Describe(kind)}.");
                if (field.Key != "json" && field.Key != "delivery_delay" && field.Value != null && field.Value.GetValueKind() != JsonValueKind.String)
                    throw new WorkerInputException(WorkerInputFault.Binding, source,
                        $"{binding.Origin}: '{field.Key}' of binding '{binding.Name}' must be a string.",
                        $"Quote the value of '{field.Key}'.");
            }
        }

        /// <summary>Binding names become JavaScript identifiers on <c>env</c>: Cloudflare takes letters, digits and underscores, not starting with a digit.</summary>
        public static void CheckName(string? name, string origin, string source)
        {
            if (string.IsNullOrEmpty(name) || !IsIdentifier(name!))
                throw new WorkerInputException(WorkerInputFault.Binding, source,
                    $"{origin}: binding name '{name}' is not usable: a binding name is a JavaScript identifier (letters, digits, _ or $, not starting with a digit).",
                    "Rename the binding, e.g. MY_KV.");
        }

        private static bool IsIdentifier(string name)
        {
            if (char.IsDigit(name[0])) return false;
            foreach (var c in name)
                if (!(c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
            return true;
        }

        private static Kind? Find(string type) => Kinds.FirstOrDefault(k => k.Type == type);

        private static string Describe(Kind kind) =>
            kind.Required.Length == 0 && kind.Optional.Length == 0 ? "no fields"
                : string.Join(", ", kind.Required.Select(r => r + " (required)").Concat(kind.Optional));
    }
}
