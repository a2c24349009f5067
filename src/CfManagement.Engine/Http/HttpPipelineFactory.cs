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
    /// The chain is wired by hand behind our own <see cref="ISessionHttpClientFactory"/> rather than through
    /// Microsoft.Extensions.Http (<c>ServiceCollection.AddHttpClient</c>, or even just its <c>IHttpClientFactory</c>
    /// interface): a session needs exactly one chain that lives as long as it does (no handler rotation, the governor's
    /// state must persist); building a DI container for that cost about 100 ms of JIT on the first Connect-CfAccount of
    /// a process, and referencing the package only for its interface shipped eight assemblies (Http, DI, Options,
    /// Logging, ...) in bin/deps.
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
        private sealed class SessionHttpClientFactory : ISessionHttpClientFactory, IDisposable
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

    /// <summary>
    /// Hands out HttpClients over one shared handler chain (the shape of Microsoft.Extensions.Http's
    /// <c>IHttpClientFactory</c>, without the package). Clients never own the chain: disposing one leaves the
    /// handlers, and so the rate-limit governor and pooled connections, to the factory's owner.
    /// </summary>
    internal interface ISessionHttpClientFactory
    {
        /// <summary>A new client over the shared chain; <paramref name="name"/> is accepted for symmetry and ignored.</summary>
        HttpClient CreateClient(string name);
    }
}
