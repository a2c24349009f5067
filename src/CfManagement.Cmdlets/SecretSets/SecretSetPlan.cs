using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.SecretSets
{
    /// <summary>What a Set or Sync will send to one target, and what it can leave alone.</summary>
    internal sealed class SecretSetPlan
    {
        public SecretSetPlan(IReadOnlyList<SecretChange> changes, IReadOnlyList<string> unchanged)
        {
            Changes = changes;
            Unchanged = unchanged;
        }

        public IReadOnlyList<SecretChange> Changes { get; }
        /// <summary>Names whose value the ledger proves the target already holds (or that are already absent).</summary>
        public IReadOnlyList<string> Unchanged { get; }
    }

    /// <summary>
    /// Turns the wanted secrets into the changes a target needs: a value is sent unless the target has the name AND the
    /// ledger's fingerprint equals this value's; a delete only when the name exists; with prune, every secret_text the
    /// target has and the input lacks is deleted (other types, such as secret_key, are never pruned).
    /// </summary>
    internal static class SecretSetPlanner
    {
        public static SecretSetPlan Plan(string accountId, string target, IReadOnlyList<SecretListing> current, IReadOnlyList<SecretEntry> wanted,
            IReadOnlyDictionary<string, string> fingerprints, byte[] key, bool prune)
        {
            var existing = new HashSet<string>(current.Select(s => s.Name), StringComparer.Ordinal);
            var changes = new List<SecretChange>();
            var unchanged = new List<string>();
            foreach (var entry in wanted)
            {
                if (entry.Value == null)
                {
                    if (existing.Contains(entry.Name)) changes.Add(new SecretChange(entry.Name, null, SecretChangeKind.Remove, null));
                    else unchanged.Add(entry.Name);
                    continue;
                }
                var fingerprint = SecretFingerprint.Compute(key, accountId, target, entry.Name, entry.Value);
                if (!existing.Contains(entry.Name))
                    changes.Add(new SecretChange(entry.Name, entry.Value, SecretChangeKind.Add, fingerprint));
                else if (fingerprints.TryGetValue(entry.Name, out var recorded) && recorded == fingerprint)
                    unchanged.Add(entry.Name);
                else
                    changes.Add(new SecretChange(entry.Name, entry.Value, SecretChangeKind.Update, fingerprint));
            }
            if (prune)
            {
                var named = new HashSet<string>(wanted.Select(e => e.Name), StringComparer.Ordinal);
                foreach (var secret in current)
                    if (!named.Contains(secret.Name) && secret.Type == "secret_text")
                        changes.Add(new SecretChange(secret.Name, null, SecretChangeKind.Remove, null));
            }
            return new SecretSetPlan(changes, unchanged);
        }
    }
}
