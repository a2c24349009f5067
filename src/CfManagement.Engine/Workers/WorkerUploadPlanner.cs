using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CfManagement.Workers.Modules;
using CfManagement.Workers.Upload;

namespace CfManagement.Workers
{
    /// <summary>Options of an upload that are not part of the Worker's definition.</summary>
    public sealed class WorkerUploadOptions
    {
        public bool ReplaceSecrets { get; set; }
        public string? Message { get; set; }
        public string? VersionTag { get; set; }

        /// <summary>Today's date (UTC), for the "compatibility date in the future" check.</summary>
        public DateTime Today { get; set; } = DateTime.UtcNow.Date;

        /// <summary>The largest gzip-compressed bundle accepted before sending: Cloudflare's 10 MB limit (paid plans; 3 MB on free ones, which the API reports as 10027).</summary>
        public long MaxCompressedBytes { get; set; } = 10L * 1024 * 1024;
    }

    /// <summary>
    /// Checks a <see cref="WorkerDefinition"/> and reads its modules: everything Cloudflare would refuse that can be
    /// known locally is refused here, before any request, as a <see cref="WorkerInputException"/>.
    /// </summary>
    public static class WorkerUploadPlanner
    {
        public const int MaxScriptNameLength = WorkerScriptName.MaxLength;
        public const int MaxVersionTagBytes = 100;
        public const int MaxMessageBytes = 1000;

        public static void CheckScriptName(string? name, string source)
        {
            if (string.IsNullOrEmpty(name))
                throw new WorkerInputException(WorkerInputFault.ScriptName, source, "The Worker has no name.",
                    "Pass -Name, or set name in the config.");
            if (!WorkerScriptName.IsValid(name))
                throw new WorkerInputException(WorkerInputFault.ScriptName, source,
                    $"'{name}' is not a Worker name: {WorkerScriptName.Problem(name)}.",
                    $"Rename it, e.g. '{Suggest(name)}'.");
        }

        public static WorkerUpload Plan(WorkerDefinition definition, WorkerUploadOptions options)
        {
            var fromConfig = definition.ConfigPath != null;
            CheckScriptName(definition.Name, fromConfig && definition.Name != null ? "Config" : "Name");
            CheckCompatibilityDate(definition.CompatibilityDate, options.Today, fromConfig ? "Config" : "CompatibilityDate");
            foreach (var flag in definition.CompatibilityFlags)
                if (string.IsNullOrWhiteSpace(flag) || flag.Any(char.IsWhiteSpace))
                    throw new WorkerInputException(WorkerInputFault.ConfigValue, fromConfig ? "Config" : "CompatibilityFlag",
                        $"'{flag}' is not a compatibility flag.", "Flags are single words like nodejs_compat.");
            CheckBindings(definition.Bindings, fromConfig);
            foreach (var consumer in definition.TailConsumers)
            {
                if (!WorkerScriptName.IsValid(consumer.Service))
                    throw new WorkerInputException(WorkerInputFault.TailConsumer, fromConfig ? "Config" : "TailConsumer",
                        $"Tail consumer '{consumer.Service}' is not a Worker name.", "Name the Worker that receives the trace events (lowercase, digits, dashes).");
            }
            if (definition.TailConsumers.GroupBy(c => (c.Service, c.Environment, c.Namespace)).FirstOrDefault(g => g.Count() > 1) is IGrouping<(string, string?, string?), WorkerTailConsumer> twice)
                throw new WorkerInputException(WorkerInputFault.TailConsumer, fromConfig ? "Config" : "TailConsumer",
                    $"Tail consumer '{twice.First()}' is listed twice.", "List each tail consumer once.");
            CheckAnnotations(options);
            if (string.IsNullOrEmpty(definition.Main))
                throw new WorkerInputException(WorkerInputFault.MainNotFound, fromConfig ? "Config" : "Main",
                    "The Worker has no main module.", fromConfig ? "Set main = \"src/index.js\" in the config, or pass -Main." : "Pass -Main with the path of the entry module.");

            var graph = ModuleGraph.Collect(definition.Main!, definition.BaseDir);
            CheckSize(graph.Modules, options.MaxCompressedBytes);
            var keep = options.ReplaceSecrets ? new string[0] : new[] { "secret_text", "secret_key" };
            return new WorkerUpload(definition.Name!, graph.Modules, definition.Bindings, definition.CompatibilityDate!, definition.CompatibilityFlags,
                keep, definition.TailConsumers, definition.Observability, definition.Logpush, definition.Tags, options.Message, options.VersionTag);
        }

        private static void CheckCompatibilityDate(string? date, DateTime today, string source)
        {
            if (string.IsNullOrEmpty(date))
                throw new WorkerInputException(WorkerInputFault.CompatibilityDate, source, "The Worker has no compatibility date.",
                    $"Pass -CompatibilityDate {today:yyyy-MM-dd} (or set compatibility_date in the config); Cloudflare requires one for module Workers.");
            if (!DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                throw new WorkerInputException(WorkerInputFault.CompatibilityDate, source, $"'{date}' is not a compatibility date (yyyy-MM-dd).",
                    $"Write it as yyyy-MM-dd, e.g. {today:yyyy-MM-dd}.");
            if (parsed > today.AddDays(1))
                throw new WorkerInputException(WorkerInputFault.CompatibilityDate, source, $"The compatibility date {date} is in the future; Cloudflare refuses it.",
                    $"Use today's date ({today:yyyy-MM-dd}) or an earlier one.");
        }

        private static void CheckBindings(IReadOnlyList<WorkerBinding> bindings, bool fromConfig)
        {
            var seen = new Dictionary<string, WorkerBinding>(StringComparer.Ordinal);
            foreach (var binding in bindings)
            {
                var source = binding.Origin.StartsWith("-", StringComparison.Ordinal) ? binding.Origin.Substring(1).Split('[', ' ')[0] : "Config";
                BindingKinds.Check(binding, source);
                if (seen.TryGetValue(binding.Name, out var first))
                    throw new WorkerInputException(WorkerInputFault.DuplicateBinding, source,
                        $"Binding name '{binding.Name}' is used twice: {first.Origin} ({first.Type}) and {binding.Origin} ({binding.Type}).",
                        "Give every binding its own name: they all share the Worker's env object.");
                seen.Add(binding.Name, binding);
            }
        }

        private static void CheckAnnotations(WorkerUploadOptions options)
        {
            if (options.VersionTag != null && (options.VersionTag.Length == 0 || Encoding.UTF8.GetByteCount(options.VersionTag) > MaxVersionTagBytes))
                throw new WorkerInputException(WorkerInputFault.Annotation, "Tag",
                    $"-Tag must be 1 to {MaxVersionTagBytes} bytes; it is {Encoding.UTF8.GetByteCount(options.VersionTag)}.", "Shorten the version tag (e.g. a commit hash).");
            if (options.Message != null && Encoding.UTF8.GetByteCount(options.Message) > MaxMessageBytes)
                throw new WorkerInputException(WorkerInputFault.Annotation, "Message",
                    $"-Message is {Encoding.UTF8.GetByteCount(options.Message)} bytes; Cloudflare keeps at most {MaxMessageBytes}.", $"Shorten the message to {MaxMessageBytes} bytes.");
        }

        private static void CheckSize(IReadOnlyList<WorkerModule> modules, long max)
        {
            using (var counter = new CountingStream())
            {
                using (var gzip = new GZipStream(counter, CompressionLevel.Fastest, leaveOpen: true))
                    foreach (var module in modules) gzip.Write(module.Content, 0, module.Content.Length);
                if (counter.Length > max)
                    throw new WorkerInputException(WorkerInputFault.BundleTooLarge, "Main",
                        $"The modules come to {counter.Length / 1024.0 / 1024.0:0.0} MiB compressed ({modules.Sum(m => (long)m.Size) / 1024.0 / 1024.0:0.0} MiB raw); Cloudflare accepts at most {max / 1024.0 / 1024.0:0.#} MiB.",
                        $"Largest: {string.Join(", ", modules.OrderByDescending(m => m.Size).Take(3).Select(m => $"{m.Name} ({m.Size / 1024} KiB)"))}. Move large data to KV or R2.");
            }
        }

        private static string Suggest(string name)
        {
            var s = Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9_-]+", "-").Trim('-');
            if (s.Length > MaxScriptNameLength) s = s.Substring(0, MaxScriptNameLength).TrimEnd('-');
            return s.Length == 0 ? "my-worker" : s;
        }

        /// <summary>Counts what the gzip stream writes, so the compressed size is known without keeping the bytes.</summary>
        private sealed class CountingStream : Stream
        {
            private long _length;
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => _length;
            public override long Position { get => _length; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => _length += count;
        }
    }
}
