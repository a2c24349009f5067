using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// An uploaded version of a Worker. Listing gives the metadata; asking for one version by id also fills in its
    /// compatibility settings and its bindings (names and types only: a secret's text is never returned).
    /// </summary>
    public sealed class CfWorkerVersion
    {
        public CfWorkerVersion(string scriptName, string id, int? number, DateTimeOffset? createdOn, DateTimeOffset? modifiedOn,
            string? authorEmail, string? source, string? message, string? tag, string? triggeredBy, bool? hasPreview,
            string? compatibilityDate, IReadOnlyList<string> compatibilityFlags, string? usageModel, IReadOnlyList<string> handlers,
            IReadOnlyList<CfWorkerBinding> bindings)
        {
            ScriptName = scriptName;
            Id = id;
            Number = number;
            CreatedOn = createdOn;
            ModifiedOn = modifiedOn;
            AuthorEmail = authorEmail;
            Source = source;
            Message = message;
            Tag = tag;
            TriggeredBy = triggeredBy;
            HasPreview = hasPreview;
            CompatibilityDate = compatibilityDate;
            CompatibilityFlags = compatibilityFlags;
            UsageModel = usageModel;
            Handlers = handlers;
            Bindings = bindings;
        }

        public string ScriptName { get; }
        public string Script => ScriptName;
        public string Id { get; }
        /// <summary>The same as <see cref="Id"/>, so a version binds to -VersionId by property name.</summary>
        public string VersionId => Id;
        public int? Number { get; }
        public DateTimeOffset? CreatedOn { get; }
        public DateTimeOffset? ModifiedOn { get; }
        public string? AuthorEmail { get; }
        public string? Source { get; }
        public string? Message { get; }
        public string? Tag { get; }
        public string? TriggeredBy { get; }
        public bool? HasPreview { get; }
        public string? CompatibilityDate { get; }
        public IReadOnlyList<string> CompatibilityFlags { get; }
        public string? UsageModel { get; }
        public IReadOnlyList<string> Handlers { get; }
        public IReadOnlyList<CfWorkerBinding> Bindings { get; }

        public override string ToString() => $"{ScriptName} {Id} (#{Number})";
    }
}
