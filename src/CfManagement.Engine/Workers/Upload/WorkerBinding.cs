using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text.Json.Nodes;

namespace CfManagement.Workers.Upload
{
    /// <summary>
    /// One entry of the upload's <c>metadata.bindings</c>: name, type and the type's fields in the order they are sent.
    /// A <c>secret_text</c> binding keeps its value as a SecureString until the body is built.
    /// </summary>
    public sealed class WorkerBinding
    {
        public WorkerBinding(string name, string type, IEnumerable<KeyValuePair<string, JsonNode?>> fields, string origin, SecureString? secretText = null)
        {
            Name = name;
            Type = type;
            Fields = fields.ToList();
            Origin = origin;
            SecretText = secretText;
        }

        public string Name { get; }
        public string Type { get; }

        /// <summary>The fields besides name and type (secret_text's text excluded: see <see cref="SecretText"/>).</summary>
        public IReadOnlyList<KeyValuePair<string, JsonNode?>> Fields { get; }

        /// <summary>Where it was declared, for errors: <c>kv_namespaces[1]</c>, <c>-Binding[0]</c>, <c>-Var API_URL</c>.</summary>
        public string Origin { get; }

        public SecureString? SecretText { get; }

        public JsonNode? Field(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;

        public override string ToString() => $"{Name} ({Type})";
    }
}
