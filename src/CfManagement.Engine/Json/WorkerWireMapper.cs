using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Model;

namespace CfManagement.Json
{
    /// <summary>Worker wire shapes to immutable models (the Worker half of <see cref="WireMapper"/>).</summary>
    internal static class WorkerWireMapper
    {
        public static CfWorker ToWorker(WireWorkerScript w, string accountId) => new CfWorker(
            w.Id, w.Etag, w.CreatedOn, w.ModifiedOn, w.UsageModel, w.Logpush ?? false,
            ToTailConsumers(w.Id, w.TailConsumers), Strings(w.Tags), Strings(w.Handlers), w.CompatibilityDate,
            Strings(w.CompatibilityFlags), w.HasModules ?? false, w.LastDeployedFrom, accountId, null);

        public static IReadOnlyList<CfWorkerTailConsumer> ToTailConsumers(string scriptName, List<WireTailConsumer>? wire) =>
            (wire ?? new List<WireTailConsumer>()).Select(c => new CfWorkerTailConsumer(scriptName, c.Service, c.Environment, c.Namespace)).ToList();

        public static List<WireTailConsumer> ToWire(IEnumerable<CfWorkerTailConsumer> consumers) =>
            consumers.Select(c => new WireTailConsumer { Service = c.Service, Environment = c.Environment, Namespace = c.Namespace }).ToList();

        public static CfWorkerVersion ToVersion(WireWorkerVersion w, string scriptName) => new CfWorkerVersion(
            scriptName, w.Id, w.Number.HasValue ? (int)w.Number.Value : (int?)null, w.Metadata?.CreatedOn, w.Metadata?.ModifiedOn,
            w.Metadata?.AuthorEmail, w.Metadata?.Source, w.Annotations?.Message, w.Annotations?.Tag, w.Annotations?.TriggeredBy,
            w.Metadata?.HasPreview ?? w.Metadata?.HasPreviewSnake,
            w.Resources?.ScriptRuntime?.CompatibilityDate, Strings(w.Resources?.ScriptRuntime?.CompatibilityFlags),
            w.Resources?.ScriptRuntime?.UsageModel, Strings(w.Resources?.Script?.Handlers),
            (w.Resources?.Bindings ?? new List<WireBindingSummary>()).Select(b => new CfWorkerBinding(b.Name, b.Type ?? "")).ToList());

        public static CfWorkerDeployment ToDeployment(WireDeployment w, string scriptName, bool isCurrent) => new CfWorkerDeployment(
            scriptName, w.Id, w.CreatedOn, w.Source, w.Strategy, w.AuthorEmail, w.Annotations?.Message, w.Annotations?.TriggeredBy,
            (w.Versions ?? new List<WireDeploymentVersion>()).Select(v => new CfWorkerTraffic(v.VersionId, v.Percentage)).ToList(), isCurrent);

        private static IReadOnlyList<string> Strings(List<string>? values) => values ?? (IReadOnlyList<string>)Array.Empty<string>();
    }
}
