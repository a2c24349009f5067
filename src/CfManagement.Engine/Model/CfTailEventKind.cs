namespace CfManagement.Model
{
    /// <summary>What triggered a tailed invocation (the shape of the trace event's <c>event</c> member).</summary>
    public enum CfTailEventKind
    {
        Unknown,
        Request,
        Scheduled,
        Alarm,
        Email,
        Queue,
        Rpc,
        Tail,
    }
}
