using System.Collections.Generic;
using System.Linq;
using CfManagement.Model;

namespace CfManagement.Workers
{
    /// <summary>
    /// The tail-consumer list after -Add/-Remove or -Replace, and what happened to each consumer named. Adding one
    /// already there, or removing one that is not, changes nothing and says so. A removal that names only the
    /// service (no environment or namespace) removes every entry for that service.
    /// </summary>
    public sealed class TailConsumerMerge
    {
        private TailConsumerMerge(IReadOnlyList<CfWorkerTailConsumer> result, IReadOnlyList<CfWorkerTailConsumerChange> changes, bool changed)
        {
            Result = result;
            Changes = changes;
            Changed = changed;
        }

        public IReadOnlyList<CfWorkerTailConsumer> Result { get; }
        public IReadOnlyList<CfWorkerTailConsumerChange> Changes { get; }
        /// <summary>False when the list stays as it is: nothing to send.</summary>
        public bool Changed { get; }

        public static TailConsumerMerge AddRemove(IReadOnlyList<CfWorkerTailConsumer> current, IEnumerable<CfWorkerTailConsumer> add, IEnumerable<CfWorkerTailConsumer> remove)
        {
            var result = current.ToList();
            var changes = new List<CfWorkerTailConsumerChange>();
            foreach (var gone in remove)
            {
                var matching = result.Where(c => Matches(gone, c)).ToList();
                if (matching.Count == 0) changes.Add(new CfWorkerTailConsumerChange(gone, CfWorkerTailConsumerChange.Unchanged, "not a tail consumer"));
                foreach (var m in matching)
                {
                    result.Remove(m);
                    changes.Add(new CfWorkerTailConsumerChange(m, CfWorkerTailConsumerChange.Removed, null));
                }
            }
            foreach (var wanted in add)
            {
                if (result.Contains(wanted)) { changes.Add(new CfWorkerTailConsumerChange(wanted, CfWorkerTailConsumerChange.Unchanged, "already a tail consumer")); continue; }
                result.Add(wanted);
                changes.Add(new CfWorkerTailConsumerChange(wanted, CfWorkerTailConsumerChange.Added, null));
            }
            return new TailConsumerMerge(result, changes, !result.SequenceEqual(current));
        }

        public static TailConsumerMerge Replace(IReadOnlyList<CfWorkerTailConsumer> current, IEnumerable<CfWorkerTailConsumer> wanted)
        {
            var result = wanted.Distinct().ToList();
            var changes = new List<CfWorkerTailConsumerChange>();
            foreach (var c in current.Where(c => !result.Contains(c))) changes.Add(new CfWorkerTailConsumerChange(c, CfWorkerTailConsumerChange.Removed, null));
            foreach (var c in result)
                changes.Add(current.Contains(c)
                    ? new CfWorkerTailConsumerChange(c, CfWorkerTailConsumerChange.Unchanged, "already a tail consumer")
                    : new CfWorkerTailConsumerChange(c, CfWorkerTailConsumerChange.Added, null));
            // Order does not matter to Cloudflare: the same consumers in another order is no change.
            var changed = result.Count != current.Count || result.Any(c => !current.Contains(c));
            return new TailConsumerMerge(changed ? result : current.ToList(), changes, changed);
        }

        private static bool Matches(CfWorkerTailConsumer named, CfWorkerTailConsumer existing) =>
            named.Environment == null && named.Namespace == null
                ? named.Service == existing.Service
                : named.Equals(existing);
    }
}
