namespace CfManagement.Tail
{
    /// <summary>What the socket reader does when the queue to the pipeline is full.</summary>
    public enum TailBackpressure
    {
        /// <summary>Drop the event and count it (the reader never stalls, so the server never drops the socket).</summary>
        Drop,
        /// <summary>Stop reading until the pipeline takes an event (TCP pushes back; the server may then drop events or the tail).</summary>
        Block,
    }
}
