namespace CfManagement.Emulator.Envelope;

/// <summary>One entry of the envelope's errors[] (or messages[]), with an optional error_chain.</summary>
internal sealed record ApiError(int Code, string Message, IReadOnlyList<ApiError>? ErrorChain = null);
