using System;
using System.Collections.Generic;

namespace CfManagement.Model
{
    /// <summary>
    /// One invocation of a tailed Worker as the trace-v1 socket reports it: outcome, trigger, logs and exceptions.
    /// Exactly one of <see cref="Request"/>, <see cref="Cron"/>/<see cref="ScheduledTime"/>, <see cref="Queue"/>,
    /// <see cref="AlarmTime"/> or <see cref="EmailFrom"/>/<see cref="EmailTo"/> is set, as <see cref="Kind"/> says.
    /// </summary>
    public sealed class CfTailEvent
    {
        internal CfTailEvent(string outcome, string scriptName, string? entrypoint, DateTimeOffset? eventTimestamp, CfTailEventKind kind,
            IReadOnlyList<CfTailLog> logs, IReadOnlyList<CfTailException> exceptions)
        {
            Outcome = outcome;
            ScriptName = scriptName;
            Entrypoint = entrypoint;
            EventTimestamp = eventTimestamp;
            Kind = kind;
            Logs = CfTailItemList<CfTailLog>.Of(logs);
            Exceptions = CfTailItemList<CfTailException>.Of(exceptions);
        }

        /// <summary>ok, canceled, exception, exceededCpu, exceededMemory, unknown, ... as Cloudflare names it.</summary>
        public string Outcome { get; }
        public string ScriptName { get; }
        public string? Entrypoint { get; }
        public DateTimeOffset? EventTimestamp { get; }
        public CfTailEventKind Kind { get; }
        public IReadOnlyList<CfTailLog> Logs { get; }
        public IReadOnlyList<CfTailException> Exceptions { get; }

        public CfTailRequest? Request { get; internal set; }
        public string? Cron { get; internal set; }
        public DateTimeOffset? ScheduledTime { get; internal set; }
        public string? Queue { get; internal set; }
        public int? BatchSize { get; internal set; }
        public DateTimeOffset? AlarmTime { get; internal set; }
        public string? EmailFrom { get; internal set; }
        public string? EmailTo { get; internal set; }
        public long? EmailSize { get; internal set; }
        /// <summary>The RPC method called, for an <see cref="CfTailEventKind.Rpc"/> invocation.</summary>
        public string? RpcMethod { get; internal set; }
        /// <summary>The Pages project whose deployment was tailed (Start-CfTail -PagesProject); null for a Worker's events.</summary>
        public string? PagesProject { get; internal set; }
        /// <summary>The Pages deployment tailed; null for a Worker's events.</summary>
        public string? DeploymentId { get; internal set; }

        /// <summary>Is the outcome one wrangler counts as an error (not ok, not canceled)?</summary>
        public bool IsError => !string.Equals(Outcome, "ok", StringComparison.Ordinal) && !string.Equals(Outcome, "canceled", StringComparison.Ordinal);

        /// <summary>One line as wrangler's pretty format prints it (without the log lines).</summary>
        public override string ToString()
        {
            var stamp = EventTimestamp?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var outcome = Outcome == "ok" ? "Ok" : Outcome == "canceled" ? "Canceled" : Outcome == "exception" ? "Exception Thrown"
                : Outcome == "exceededCpu" ? "Exceeded CPU Limit" : Outcome == "exceededMemory" ? "Exceeded Memory Limit" : Outcome;
            switch (Kind)
            {
                case CfTailEventKind.Request when Request != null:
                    return $"{Request.Method} {Request.Url} - {outcome} @ {stamp}";
                case CfTailEventKind.Scheduled:
                    return $"\"{Cron}\" @ {stamp} - {outcome}";
                case CfTailEventKind.Queue:
                    return $"Queue {Queue} ({BatchSize} messages) - {outcome} @ {stamp}";
                case CfTailEventKind.Alarm:
                    return $"Alarm @ {AlarmTime?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} - {outcome}";
                case CfTailEventKind.Email:
                    return $"Email from:{EmailFrom} to:{EmailTo} size:{EmailSize} @ {stamp} - {outcome}";
                default:
                    return $"{Kind} {ScriptName} - {outcome} @ {stamp}";
            }
        }
    }
}
