using System;

namespace CfManagement.Model
{
    /// <summary>
    /// A Worker that receives another Worker's tail events: <see cref="Service"/> is the consumer script, optionally
    /// in an environment or a dispatch namespace (the API's <c>{service, environment?, namespace?}</c>).
    /// </summary>
    public sealed class CfWorkerTailConsumer : IEquatable<CfWorkerTailConsumer>
    {
        public CfWorkerTailConsumer(string scriptName, string service, string? environment, string? @namespace)
        {
            ScriptName = scriptName;
            Service = service;
            Environment = string.IsNullOrEmpty(environment) ? null : environment;
            Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        }

        /// <summary>The producing Worker, whose events this consumer receives.</summary>
        public string ScriptName { get; }
        public string Service { get; }
        public string? Environment { get; }
        public string? Namespace { get; }

        /// <summary>Same consumer: same service, environment and namespace (the producer is not compared).</summary>
        public bool Equals(CfWorkerTailConsumer? other) =>
            other != null && string.Equals(Service, other.Service, StringComparison.Ordinal) &&
            string.Equals(Environment, other.Environment, StringComparison.Ordinal) &&
            string.Equals(Namespace, other.Namespace, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as CfWorkerTailConsumer);

        public override int GetHashCode() =>
            (Service.GetHashCode() * 397) ^ (Environment?.GetHashCode() ?? 0) ^ ((Namespace?.GetHashCode() ?? 0) * 31);

        /// <summary>service, service@environment, namespace/service or namespace/service@environment.</summary>
        public override string ToString() =>
            (Namespace == null ? "" : Namespace + "/") + Service + (Environment == null ? "" : "@" + Environment);
    }
}
