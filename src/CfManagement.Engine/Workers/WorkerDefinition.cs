using System.Collections.Generic;
using System.Text.Json.Nodes;
using CfManagement.Workers.Upload;

namespace CfManagement.Workers
{
    /// <summary>
    /// What to deploy, from a wrangler config (one environment resolved) or from parameters: the unvalidated input of
    /// <see cref="WorkerUploadPlanner"/>. Paths are absolute.
    /// </summary>
    public sealed class WorkerDefinition
    {
        public string? Name { get; set; }
        public string? Main { get; set; }

        /// <summary>The folder module names are relative to: wrangler's <c>base_dir</c>, else the folder of main.</summary>
        public string? BaseDir { get; set; }

        public string? CompatibilityDate { get; set; }
        public List<string> CompatibilityFlags { get; } = new List<string>();
        public List<WorkerBinding> Bindings { get; } = new List<WorkerBinding>();
        public List<WorkerTailConsumer> TailConsumers { get; } = new List<WorkerTailConsumer>();
        public JsonObject? Observability { get; set; }
        public bool? Logpush { get; set; }

        /// <summary>Script tags (<c>metadata.tags</c>), not the version tag annotation.</summary>
        public List<string> Tags { get; } = new List<string>();

        public string? ConfigPath { get; set; }
        public string? Environment { get; set; }

        /// <summary>Config keys that were read but are not part of an upload (routes, triggers, ...), for a warning.</summary>
        public List<string> IgnoredKeys { get; } = new List<string>();
    }

    /// <summary>A Worker that receives this Worker's trace events (<c>tail_consumers[]</c>).</summary>
    public sealed class WorkerTailConsumer
    {
        public WorkerTailConsumer(string service, string? environment = null, string? @namespace = null)
        {
            Service = service;
            Environment = environment;
            Namespace = @namespace;
        }

        public string Service { get; }
        public string? Environment { get; }
        public string? Namespace { get; }

        public override string ToString() => Environment == null ? Service : $"{Service} ({Environment})";
    }
}
