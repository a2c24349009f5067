using System;
using System.Threading;

namespace CfManagement.Http
{
    /// <summary>Where the HTTP pipeline reports what it does; the cmdlet relays these lines on its pipeline thread.</summary>
    public interface IApiDiagnosticsSink
    {
        void Verbose(string message);
        void Debug(string message);
    }

    /// <summary>
    /// The sink of the cmdlet currently awaiting a request, carried by the async flow. Only method, path, status,
    /// timing, retry decisions and Cloudflare codes are ever written here: never headers or bodies, so never a secret.
    /// </summary>
    public static class ApiDiagnostics
    {
        private static readonly AsyncLocal<IApiDiagnosticsSink?> CurrentSink = new AsyncLocal<IApiDiagnosticsSink?>();

        public static IApiDiagnosticsSink? Current
        {
            get => CurrentSink.Value;
            set => CurrentSink.Value = value;
        }

        internal static void Verbose(string message) => CurrentSink.Value?.Verbose(message);
        internal static void Debug(string message) => CurrentSink.Value?.Debug(message);
    }
}
