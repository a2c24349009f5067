using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>What Publish-CfWorker uploaded (or, with -WhatIf, would upload) and what Cloudflare answered.</summary>
    public sealed class CfWorkerUpload
    {
        public CfWorkerUpload(string script, string? environment, bool versionOnly, string? versionId, long? versionNumber, string? etag,
            double? startupTimeMs, string compatibilityDate, IReadOnlyList<CfWorkerModuleInfo> modules, IReadOnlyList<CfWorkerBindingInfo> bindings,
            IReadOnlyList<string> keptBindingTypes, long bodySize)
        {
            Script = script;
            Environment = environment;
            VersionOnly = versionOnly;
            VersionId = versionId;
            VersionNumber = versionNumber;
            Etag = etag;
            StartupTimeMs = startupTimeMs;
            CompatibilityDate = compatibilityDate;
            Modules = modules;
            Bindings = bindings;
            KeptBindingTypes = keptBindingTypes;
            BodySize = bodySize;
        }

        public string Script { get; }

        /// <summary>The wrangler environment the config was read for, if any.</summary>
        public string? Environment { get; }

        /// <summary>True when only a version was uploaded (-VersionOnly): nothing serves it until Set-CfWorkerDeployment.</summary>
        public bool VersionOnly { get; }

        public string? VersionId { get; }
        public long? VersionNumber { get; }
        public string? Etag { get; }
        public double? StartupTimeMs { get; }
        public string CompatibilityDate { get; }
        public IReadOnlyList<CfWorkerModuleInfo> Modules { get; }
        public IReadOnlyList<CfWorkerBindingInfo> Bindings { get; }

        /// <summary>Binding types Cloudflare was asked to keep from the previous version (secret_text, secret_key unless -ReplaceSecrets).</summary>
        public IReadOnlyList<string> KeptBindingTypes { get; }

        /// <summary>Size of the multipart body in bytes.</summary>
        public long BodySize { get; }

        public override string ToString() => VersionId == null ? Script : $"{Script} ({VersionId})";
    }

    /// <summary>One uploaded module: name, content type and size (never its content).</summary>
    public sealed class CfWorkerModuleInfo
    {
        public CfWorkerModuleInfo(string name, string contentType, long size)
        {
            Name = name;
            ContentType = contentType;
            Size = size;
        }

        public string Name { get; }
        public string ContentType { get; }
        public long Size { get; }
        public override string ToString() => $"{Name} ({Size} bytes)";
    }

    /// <summary>One binding: name, type and, for non-secret kinds, what it points at (never a secret's value).</summary>
    public sealed class CfWorkerBindingInfo
    {
        public CfWorkerBindingInfo(string name, string type, string? target)
        {
            Name = name;
            Type = type;
            Target = target;
        }

        public string Name { get; }
        public string Type { get; }

        /// <summary>The namespace, database, bucket, service, class, queue or dataset; null for text, json and secret bindings.</summary>
        public string? Target { get; }

        public override string ToString() => $"{Name} ({Type})";
    }
}
