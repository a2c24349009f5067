using System;

namespace CfManagement.Model
{
    /// <summary>One <c>console.*</c> call of a tailed invocation; the message parts are joined with spaces as wrangler prints them.</summary>
    public sealed class CfTailLog
    {
        public CfTailLog(string level, string message, DateTimeOffset? timestamp)
        {
            Level = level;
            Message = message;
            Timestamp = timestamp;
        }

        public string Level { get; }
        public string Message { get; }
        public DateTimeOffset? Timestamp { get; }

        public override string ToString() => $"({Level}) {Message}";
    }
}
