using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>
    /// A Worker script in the account and, when it was read, the deployment serving its traffic. ScriptName (and
    /// Script, the same value) bind by property name to every -Script parameter.
    /// </summary>
    public sealed class CfWorker
    {
        public CfWorker(string scriptName, string? etag, DateTimeOffset? createdOn, DateTimeOffset? modifiedOn, string? usageModel,
            bool logpush, IReadOnlyList<CfWorkerTailConsumer> tailConsumers, IReadOnlyList<string> tags, IReadOnlyList<string> handlers,
            string? compatibilityDate, IReadOnlyList<string> compatibilityFlags, bool hasModules, string? lastDeployedFrom,
            string accountId, CfWorkerDeployment? deployment)
        {
            ScriptName = scriptName;
            Etag = etag;
            CreatedOn = createdOn;
            ModifiedOn = modifiedOn;
            UsageModel = usageModel;
            Logpush = logpush;
            TailConsumers = tailConsumers;
            Tags = tags;
            Handlers = handlers;
            CompatibilityDate = compatibilityDate;
            CompatibilityFlags = compatibilityFlags;
            HasModules = hasModules;
            LastDeployedFrom = lastDeployedFrom;
            AccountId = accountId;
            Deployment = deployment;
        }

        public string ScriptName { get; }
        /// <summary>The same as <see cref="ScriptName"/>, so the object binds to a -Script parameter without an alias.</summary>
        public string Script => ScriptName;
        public string? Etag { get; }
        public DateTimeOffset? CreatedOn { get; }
        public DateTimeOffset? ModifiedOn { get; }
        public string? UsageModel { get; }
        public bool Logpush { get; }
        public IReadOnlyList<CfWorkerTailConsumer> TailConsumers { get; }
        public IReadOnlyList<string> Tags { get; }
        public IReadOnlyList<string> Handlers { get; }
        public string? CompatibilityDate { get; }
        public IReadOnlyList<string> CompatibilityFlags { get; }
        public bool HasModules { get; }
        public string? LastDeployedFrom { get; }
        public string AccountId { get; }

        /// <summary>The deployment serving traffic now; null when the script has none or it could not be read.</summary>
        public CfWorkerDeployment? Deployment { get; }

        /// <summary>Which versions serve traffic, e.g. "1a2b3c4d 90%, 5e6f7a8b 10%"; empty when nothing is deployed.</summary>
        public string Traffic => Deployment?.Traffic ?? string.Empty;

        public CfWorker WithDeployment(CfWorkerDeployment? deployment) => new CfWorker(ScriptName, Etag, CreatedOn, ModifiedOn, UsageModel,
            Logpush, TailConsumers, Tags, Handlers, CompatibilityDate, CompatibilityFlags, HasModules, LastDeployedFrom, AccountId, deployment);

        public override string ToString() => ScriptName;
    }
}
