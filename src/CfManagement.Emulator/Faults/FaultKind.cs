namespace CfManagement.Emulator;

/// <summary>What an injected fault does.</summary>
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.StatusCode"/> and a Cloudflare error envelope.</summary>
    Status,
    /// <summary>Answer 429 with Retry-After and code 971.</summary>
    RateLimit,
    /// <summary>Abort the connection without a response.</summary>
    Reset,
    /// <summary>Wait <see cref="FaultRule.Delay"/>, then serve normally.</summary>
    Latency,
    /// <summary>
    /// Process the request (its change happens), then abort the connection without the answer: the lost answer after
    /// which a client cannot know whether a create or rotate happened. API routes only (FaultAnswer, used by the Access origin, answers it like Status).
    /// </summary>
    ResetAfterProcessing,
}
