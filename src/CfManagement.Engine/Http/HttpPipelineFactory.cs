using System;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;

namespace CfManagement.Http
{
    /// <summary>
    /// Builds a session's one HttpClient: retry outermost (it waits for the rate-limit governor's turn before each
    /// attempt, then starts that attempt's timeout), then authentication and diagnostics per attempt, over a plain
    /// HttpClientHandler (or the given one: tests count what reaches the wire).
    /// </summary>
    /// <remarks>
    /// The chain is wired by hand behind Microsoft.Extensions.Http's <see cref="IHttpClientFactory"/> contract rather
    /// than through <c>ServiceCollection.AddHttpClient</c>: a session needs exactly one chain that lives as long as it
    /// does (no handler rotation, the governor's state must persist), and building a DI container for that cost about
    /// 100 ms of JIT on the first Connect-CfAccount of a process (DI, Options and Logging are IL-only assemblies).
    /// </remarks>
    internal static class HttpPipelineFactory
    {
        public static (HttpClient Client, IDisposable Owner) Create(Uri baseUri, Func<SecureString> token, RetryOptions options,
            HttpMessageHandler? primary = null)
        {
            var factory = new SessionHttpClientFactory(baseUri, token, options, primary);
            return (factory.CreateClient(string.Empty), factory);
        }

        /// <summary>One handler chain per session; clients share it and never dispose it (the session does, once).</summary>
        private sealed class SessionHttpClientFactory : IHttpClientFactory, IDisposable
        {
            private static readonly string UserAgent = $"CfManagement/{typeof(HttpPipelineFactory).Assembly.GetName().Version}";
            private readonly Uri _baseUri;
            private readonly HttpMessageHandler _handler;

            public SessionHttpClientFactory(Uri baseUri, Func<SecureString> token, RetryOptions options, HttpMessageHandler? primary)
            {
                _baseUri = baseUri;
                var governor = new RateLimitGovernor(options.RateLimitRequests, options.RateLimitWindow);
                primary ??= new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = false, // a redirect would carry the bearer token to another host
                };
                _handler = Chain(primary,
                    new RetryHandler(options, governor),
                    new AuthenticationHandler(token),
                    new DiagnosticsHandler());
            }

            public HttpClient CreateClient(string name)
            {
                var client = new HttpClient(_handler, disposeHandler: false)
                {
                    BaseAddress = _baseUri,
                    Timeout = Timeout.InfiniteTimeSpan, // per-attempt timeouts live in RetryHandler
                };
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                return client;
            }

            public void Dispose() => _handler.Dispose(); // disposes the whole chain, down to the sockets

            /// <summary>Links the handlers outermost first, the primary handler innermost.</summary>
            private static HttpMessageHandler Chain(HttpMessageHandler primary, params DelegatingHandler[] outermostFirst)
            {
                var next = primary;
                for (var i = outermostFirst.Length - 1; i >= 0; i--)
                {
                    outermostFirst[i].InnerHandler = next;
                    next = outermostFirst[i];
                }
                return next;
            }
        }
    }
}
