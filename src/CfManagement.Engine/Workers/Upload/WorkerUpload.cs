using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using CfManagement.Workers.Modules;

namespace CfManagement.Workers.Upload
{
    /// <summary>A checked upload, ready to become a multipart body: everything <c>metadata</c> holds and the module parts.</summary>
    public sealed class WorkerUpload
    {
        public WorkerUpload(string scriptName, IReadOnlyList<WorkerModule> modules, IReadOnlyList<WorkerBinding> bindings, string compatibilityDate,
            IReadOnlyList<string> compatibilityFlags, IReadOnlyList<string> keepBindings, IReadOnlyList<WorkerTailConsumer> tailConsumers,
            JsonObject? observability, bool? logpush, IReadOnlyList<string> tags, string? message, string? versionTag)
        {
            ScriptName = scriptName;
            Modules = modules;
            // wrangler's order of types, declaration order within a type.
            Bindings = bindings.Select((b, i) => (b, i)).OrderBy(p => BindingKinds.Order(p.b.Type)).ThenBy(p => p.i).Select(p => p.b).ToList();
            CompatibilityDate = compatibilityDate;
            CompatibilityFlags = compatibilityFlags;
            KeepBindings = keepBindings;
            TailConsumers = tailConsumers;
            Observability = observability;
            Logpush = logpush;
            Tags = tags;
            Message = message;
            VersionTag = versionTag;
        }

        public string ScriptName { get; }
        public IReadOnlyList<WorkerModule> Modules { get; }
        public WorkerModule MainModule => Modules[0];
        public IReadOnlyList<WorkerBinding> Bindings { get; }
        public string CompatibilityDate { get; }
        public IReadOnlyList<string> CompatibilityFlags { get; }

        /// <summary>Binding types the server keeps from the previous version: secret_text and secret_key unless -ReplaceSecrets.</summary>
        public IReadOnlyList<string> KeepBindings { get; }

        public IReadOnlyList<WorkerTailConsumer> TailConsumers { get; }
        public JsonObject? Observability { get; }
        public bool? Logpush { get; }
        public IReadOnlyList<string> Tags { get; }

        /// <summary>The <c>workers/message</c> annotation.</summary>
        public string? Message { get; }

        /// <summary>The <c>workers/tag</c> annotation.</summary>
        public string? VersionTag { get; }

        public long TotalSize => Modules.Sum(m => (long)m.Size);
    }
}
