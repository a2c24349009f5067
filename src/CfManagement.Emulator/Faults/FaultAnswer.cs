using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Faults;

/// <summary>How a request that drew an injected fault is answered, wherever it arrived (the API, the Access origin).</summary>
internal static class FaultAnswer
{
    /// <summary>
    /// Reset drops the connection; Status and RateLimit answer the fault's error envelope; Latency waits its delay. True
    /// when the request is done with (answered, dropped, or the caller went away during the delay); false when it should
    /// now be served as usual.
    /// </summary>
    public static async Task<bool> ApplyAsync(HttpContext http, FaultRule fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Reset:
                http.Abort();
                return true;
            case FaultKind.Latency:
                try
                {
                    await Task.Delay(fault.Delay, http.RequestAborted);
                    return false;
                }
                catch (OperationCanceledException)
                {
                    return true;
                }
            default:
                await EnvelopeWriter.WriteAsync(http, FaultResponses.For(fault));
                return true;
        }
    }
}
