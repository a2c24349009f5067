namespace CfManagement.Model
{
    /// <summary>What Set-CfWorkerTailConsumer did with one consumer: Added, Removed, or Unchanged (and why).</summary>
    public sealed class CfWorkerTailConsumerChange
    {
        public CfWorkerTailConsumerChange(CfWorkerTailConsumer consumer, string action, string? reason)
        {
            ScriptName = consumer.ScriptName;
            Service = consumer.Service;
            Environment = consumer.Environment;
            Namespace = consumer.Namespace;
            Action = action;
            Reason = reason;
        }

        public const string Added = "Added";
        public const string Removed = "Removed";
        public const string Unchanged = "Unchanged";

        public string ScriptName { get; }
        public string Service { get; }
        public string? Environment { get; }
        public string? Namespace { get; }
        public string Action { get; }
        public string? Reason { get; }

        public override string ToString() => $"{ScriptName}: {Action} {new CfWorkerTailConsumer(ScriptName, Service, Environment, Namespace)}";
    }
}
