using System;

namespace CfManagement.Model
{
    /// <summary>An uncaught exception of a tailed invocation.</summary>
    public sealed class CfTailException
    {
        public CfTailException(string name, string message, string? stack, DateTimeOffset? timestamp)
        {
            Name = name;
            Message = message;
            Stack = stack;
            Timestamp = timestamp;
        }

        public string Name { get; }
        public string Message { get; }
        public string? Stack { get; }
        public DateTimeOffset? Timestamp { get; }

        public override string ToString() => $"{Name}: {Message}";
    }
}
