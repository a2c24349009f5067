using System.Collections.Concurrent;
using CfManagement.Http;

namespace CfManagement.Commands.Base
{
    /// <summary>Collects what the HTTP pipeline reports from background threads, for the cmdlet to write on its own thread.</summary>
    internal sealed class DiagnosticsRelay : IApiDiagnosticsSink
    {
        internal enum Kind { Verbose, Debug, Done }

        public BlockingCollection<(Kind Kind, string Text)> Queue { get; } = new BlockingCollection<(Kind, string)>();

        public void Verbose(string message) => Queue.Add((Kind.Verbose, message));
        public void Debug(string message) => Queue.Add((Kind.Debug, message));
        public void Done() => Queue.Add((Kind.Done, string.Empty));
    }
}
