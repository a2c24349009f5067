using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Workers
{
    /// <summary>
    /// The traffic split Set-CfWorkerDeployment was asked for, checked before any request: version ids are GUIDs,
    /// each share is 0.01-100 with at most two decimals, one or two distinct versions, summing to exactly 100.
    /// A single version below 100% without -OtherVersionId is completed from the deployment serving traffic now
    /// (<see cref="Resolve"/>), which is how a gradual rollout reads: "send 10% to the new version".
    /// </summary>
    public sealed class TrafficSplit
    {
        private readonly IReadOnlyList<CfWorkerTraffic> _given;

        private TrafficSplit(IReadOnlyList<CfWorkerTraffic> given) => _given = given;

        /// <summary>True when the rest of the traffic must come from the current deployment.</summary>
        public bool NeedsCurrent => _given.Count == 1 && _given[0].Percentage < 100;

        /// <summary>From -VersionId, -Percentage (default 100) and -OtherVersionId; null when <paramref name="errors"/> got any.</summary>
        public static TrafficSplit? FromVersion(string versionId, double? percentage, string? otherVersionId, List<ErrorRecord> errors)
        {
            var before = errors.Count;
            var id = Id(versionId, "VersionId", errors);
            var share = Share(percentage ?? 100, "Percentage", errors);
            string? other = otherVersionId == null ? null : Id(otherVersionId, "OtherVersionId", errors);
            if (errors.Count > before) return null;
            if (other == null) return new TrafficSplit(new[] { new CfWorkerTraffic(id!, share) });
            if (string.Equals(id, other, StringComparison.Ordinal))
                return Fail(errors, "OtherVersionId", otherVersionId, "-OtherVersionId is the same version as -VersionId.",
                    "Name a different version for the rest of the traffic, or omit -OtherVersionId.");
            if (share >= 100)
                return Fail(errors, "Percentage", percentage, "-OtherVersionId was given but -Percentage leaves it no traffic (100%).",
                    "Give -Percentage below 100 (the other version gets the rest), or omit -OtherVersionId to deploy one version.");
            return new TrafficSplit(new[] { new CfWorkerTraffic(id!, share), new CfWorkerTraffic(other, (double)(100m - (decimal)share)) });
        }

        /// <summary>From -Traffic @{ '&lt;version id&gt;' = 90; '&lt;version id&gt;' = 10 }; null when <paramref name="errors"/> got any.</summary>
        public static TrafficSplit? FromTable(IDictionary table, List<ErrorRecord> errors)
        {
            if (table.Count < 1 || table.Count > 2)
                return Fail(errors, "Traffic", table.Count, $"-Traffic has {table.Count} versions; a deployment has one or two.",
                    "Pass one version at 100 or two versions whose percentages sum to 100, e.g. -Traffic @{ $new = 10; $old = 90 }.");
            var before = errors.Count;
            var split = new List<CfWorkerTraffic>();
            foreach (DictionaryEntry entry in table)
            {
                var key = entry.Key is PSObject pk ? pk.BaseObject : entry.Key;
                var id = Id(key?.ToString(), "Traffic", errors);
                var value = entry.Value is PSObject pv ? pv.BaseObject : entry.Value;
                double share;
                try { share = Convert.ToDouble(value, CultureInfo.InvariantCulture); }
                catch (Exception ex) when (ex is FormatException || ex is InvalidCastException || ex is OverflowException)
                {
                    Fail(errors, "Traffic", value, $"-Traffic gives version '{key}' the percentage '{value}', which is not a number.", "Give each version a number from 0.01 to 100.");
                    continue;
                }
                share = Share(share, "Traffic", errors);
                if (id != null) split.Add(new CfWorkerTraffic(id, share));
            }
            if (errors.Count > before) return null;
            if (split.Count == 2 && split[0].VersionId == split[1].VersionId)
                return Fail(errors, "Traffic", split[0].VersionId, "-Traffic names the same version twice.", "Name two different versions, or one at 100.");
            var sum = split.Sum(v => (decimal)v.Percentage);
            if (sum != 100m)
                return Fail(errors, "Traffic", sum, $"-Traffic percentages sum to {sum.ToString(CultureInfo.InvariantCulture)}, not 100.",
                    "Make them sum to exactly 100, e.g. 90 and 10.");
            return new TrafficSplit(split);
        }

        /// <summary>
        /// The split to send. A lone version below 100% takes the rest from the one other version serving traffic now;
        /// an error when there is none (nothing deployed, or only this version) or two (say which with -OtherVersionId).
        /// </summary>
        public IReadOnlyList<CfWorkerTraffic>? Resolve(CfWorkerDeployment? current, string script, out ErrorRecord? error)
        {
            error = null;
            if (!NeedsCurrent) return _given;
            var mine = _given[0];
            var others = (current?.Versions ?? Array.Empty<CfWorkerTraffic>())
                .Where(v => !string.Equals(v.VersionId, mine.VersionId, StringComparison.OrdinalIgnoreCase)).ToList();
            if (others.Count == 1)
                return new[] { mine, new CfWorkerTraffic(others[0].VersionId.ToLowerInvariant(), (double)(100m - (decimal)mine.Percentage)) };
            var now = current == null ? "nothing is deployed" : $"the current deployment is {current.Traffic}";
            var mineText = mine.Percentage.ToString("0.##", CultureInfo.InvariantCulture);
            var rest = (100m - (decimal)mine.Percentage).ToString("0.##", CultureInfo.InvariantCulture);
            error = new ErrorRecord(new InvalidOperationException($"Cannot tell which version gets the other {rest}% of '{script}': {now}."),
                ErrorIds.TrafficSplitUnresolved, ErrorCategory.InvalidOperation, mine.VersionId)
            {
                ErrorDetails = new ErrorDetails($"-Percentage {mineText} leaves {rest}% of '{script}' to another version, but {now}.")
                {
                    RecommendedAction = others.Count == 0
                        ? "Deploy the version at 100 (omit -Percentage), or name the version for the rest with -OtherVersionId."
                        : "Name the version for the rest with -OtherVersionId (Get-CfWorkerDeployment shows the current split).",
                },
            };
            return null;
        }

        private static string? Id(string? value, string parameter, List<ErrorRecord> errors)
        {
            if (WorkerInputValidator.CheckVersionId(value, parameter, out var id) is ErrorRecord bad) { errors.Add(bad); return null; }
            return id;
        }

        private static double Share(double value, string parameter, List<ErrorRecord> errors)
        {
            if (double.IsNaN(value) || value < 0.01 || value > 100 || Math.Round(value, 2) != value)
                Fail(errors, parameter, value,
                    $"-{parameter} {value.ToString(CultureInfo.InvariantCulture)} is not a traffic share: Cloudflare takes 0.01 to 100 percent, with at most two decimals.",
                    "Give a percentage from 0.01 to 100, e.g. 10 for a first step of a gradual rollout.", ErrorIds.InvalidPercentage);
            return value;
        }

        private static TrafficSplit? Fail(List<ErrorRecord> errors, string parameter, object? value, string message, string fix, string errorId = ErrorIds.InvalidTrafficSplit)
        {
            errors.Add(InputValidator.Invalid(errorId, parameter, value, message, fix));
            return null;
        }
    }
}
