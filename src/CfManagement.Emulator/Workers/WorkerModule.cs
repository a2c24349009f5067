namespace CfManagement.Emulator.Workers;

/// <summary>One uploaded module (or a service-worker script): its part name, Content-Type and bytes exactly as sent.</summary>
internal sealed record WorkerModule(string Name, string ContentType, byte[] Content);
