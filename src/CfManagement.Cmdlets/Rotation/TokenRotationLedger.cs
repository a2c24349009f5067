using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Ledger;
using CfManagement.Model;

namespace CfManagement.Rotation
{
    /// <summary>
    /// A staged rotation kept as ordinary ledger entries (no table of its own): kind Rotation, one operation id per
    /// rotation, and these actions. Every entry carries the credential's vault secret name in TokenName and its kind
    /// (ApiToken, AccessServiceToken) in Purpose, so each entry reads on its own in Get-CfLedger; the vault comes from
    /// the start entry's destination (vault:&lt;vault&gt;/&lt;secret name&gt;).
    /// <list type="bullet">
    /// <item>rotation-start: the rotation began (Destination vault:V/S).</item>
    /// <item>rotation-verify, rotation-roll, rotation-distribute, rotation-validate: a stage, Outcome Pending (started),
    /// Succeeded (completed), Failed or Skipped (Destination vault:V/S).</item>
    /// <item>rotation-distribute-consumer, rotation-validate-consumer: one consumer of a stage (Destination = the consumer).</item>
    /// </list>
    /// The rolls themselves are the entries Invoke-CfTokenRoll (roll) and Invoke-CfAccessServiceTokenRotate (rotate)
    /// write under their own operation ids; a rotation counts those of its token between its start and its completion.
    /// </summary>
    internal static class TokenRotationLedger
    {
        public const string StartAction = "rotation-start";
        private const string StagePrefix = "rotation-";
        private const string ConsumerSuffix = "-consumer";

        public static string VaultDestination(string vault, string secretName) => $"vault:{vault}/{secretName}";

        public static string StageAction(CfTokenRotationStage stage, bool consumer) =>
            StagePrefix + stage.ToString().ToLowerInvariant() + (consumer ? ConsumerSuffix : "");

        public static LedgerOutcome ToOutcome(CfTokenRotationStatus status) => status switch
        {
            CfTokenRotationStatus.Started => LedgerOutcome.Pending,
            CfTokenRotationStatus.Completed => LedgerOutcome.Succeeded,
            CfTokenRotationStatus.Failed => LedgerOutcome.Failed,
            _ => LedgerOutcome.Skipped,
        };

        private static CfTokenRotationStatus ToStatus(LedgerOutcome outcome) => outcome switch
        {
            LedgerOutcome.Pending => CfTokenRotationStatus.Started,
            LedgerOutcome.Succeeded => CfTokenRotationStatus.Completed,
            LedgerOutcome.Failed => CfTokenRotationStatus.Failed,
            _ => CfTokenRotationStatus.Skipped,
        };

        private static bool TryParseStage(string action, out CfTokenRotationStage stage, out bool consumer)
        {
            stage = CfTokenRotationStage.None;
            consumer = false;
            if (!action.StartsWith(StagePrefix, StringComparison.Ordinal) || action == StartAction) return false;
            var name = action.Substring(StagePrefix.Length);
            if (name.EndsWith(ConsumerSuffix, StringComparison.Ordinal))
            {
                consumer = true;
                name = name.Substring(0, name.Length - ConsumerSuffix.Length);
            }
            return Enum.TryParse(name, true, out stage) && stage != CfTokenRotationStage.None && Enum.IsDefined(typeof(CfTokenRotationStage), stage);
        }

        /// <summary>
        /// The rotations found in <paramref name="entries"/> (any Rotation entries; those of other flows are ignored except
        /// as roll evidence), oldest first.
        /// </summary>
        public static IReadOnlyList<CfTokenRotation> Project(IEnumerable<LedgerEntry> entries)
        {
            var all = entries.OrderBy(e => e.Sequence).ToList();
            var rolls = all.Where(e => e.Kind == LedgerEntryKind.Rotation && e.Outcome == LedgerOutcome.Succeeded && (e.Action == "roll" || e.Action == "rotate") && e.TokenId != null).ToList();
            var result = new List<CfTokenRotation>();
            foreach (var group in all.GroupBy(e => e.OperationId))
            {
                var steps = group.ToList();
                var start = steps.FirstOrDefault(e => e.Action == StartAction);
                if (start == null || start.TokenName == null || start.Destination == null) continue;
                result.Add(ProjectOne(start, steps, rolls));
            }
            return result.OrderBy(r => r.StartedOn).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        }

        private static CfTokenRotation ProjectOne(LedgerEntry start, List<LedgerEntry> steps, List<LedgerEntry> rolls)
        {
            var secretName = start.TokenName!;
            var prefix = "vault:";
            var destination = start.Destination!;
            var vault = destination.StartsWith(prefix, StringComparison.Ordinal) && destination.EndsWith("/" + secretName, StringComparison.Ordinal)
                ? destination.Substring(prefix.Length, destination.Length - prefix.Length - secretName.Length - 1)
                : destination;
            var tokenId = steps.LastOrDefault(e => e.TokenId != null)?.TokenId;
            var kind = steps.LastOrDefault(e => !string.IsNullOrEmpty(e.Purpose))?.Purpose ?? "Unknown";

            var completed = CfTokenRotationStage.None;
            var latestByStage = new Dictionary<CfTokenRotationStage, LedgerEntry>();
            LedgerEntry? lastStageEntry = null;
            DateTimeOffset? rollStartedOn = null;
            var consumers = new Dictionary<string, (CfTokenRotationStatus? Distribute, CfTokenRotationStatus? Validate, LedgerEntry Last)>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var entry in steps)
            {
                if (!TryParseStage(entry.Action, out var stage, out var consumer)) continue;
                if (consumer)
                {
                    var key = entry.Destination ?? "";
                    if (!consumers.TryGetValue(key, out var state)) { state = (null, null, entry); order.Add(key); }
                    var status = ToStatus(entry.Outcome);
                    if (stage == CfTokenRotationStage.Distribute) state.Distribute = status;
                    else if (stage == CfTokenRotationStage.Validate) state.Validate = status;
                    state.Last = entry;
                    consumers[key] = state;
                    continue;
                }
                latestByStage[stage] = entry;
                lastStageEntry = entry;
                if (entry.Outcome == LedgerOutcome.Succeeded && stage > completed) completed = stage;
                if (stage == CfTokenRotationStage.Roll && entry.Outcome == LedgerOutcome.Pending) rollStartedOn = entry.Timestamp;
            }

            CfTokenRotationStage? pending = latestByStage
                .Where(p => p.Value.Outcome == LedgerOutcome.Pending && p.Key > completed)
                .Select(p => (CfTokenRotationStage?)p.Key)
                .OrderByDescending(s => s)
                .FirstOrDefault();

            var state2 = completed == CfTokenRotationStage.Validate
                ? CfTokenRotationState.Completed
                : lastStageEntry != null && lastStageEntry.Outcome == LedgerOutcome.Failed ? CfTokenRotationState.Failed : CfTokenRotationState.Running;
            string? lastErrorId = null, lastError = null;
            if (state2 == CfTokenRotationState.Failed)
            {
                lastErrorId = lastStageEntry!.ErrorId;
                lastError = lastStageEntry.Detail;
            }

            var startedOn = start.Timestamp;
            var updatedOn = steps.Max(e => e.Timestamp);
            var endedOn = state2 == CfTokenRotationState.Completed ? updatedOn : (DateTimeOffset?)null;
            var rollCount = tokenId == null ? 0 : rolls.Count(r => r.TokenId == tokenId && r.Timestamp >= startedOn && (endedOn == null || r.Timestamp <= endedOn));

            var consumerList = order.Select(key =>
            {
                var c = consumers[key];
                var failed = c.Last.Outcome == LedgerOutcome.Failed;
                return new CfTokenRotationConsumer(key, c.Distribute, c.Validate, failed ? c.Last.ErrorId : null, c.Last.Detail, c.Last.Timestamp);
            }).ToList();

            return new CfTokenRotation(start.OperationId, secretName, vault, kind, tokenId, completed, pending, rollStartedOn, consumerList,
                startedOn, updatedOn, state2, lastErrorId, lastError, rollCount);
        }
    }
}
