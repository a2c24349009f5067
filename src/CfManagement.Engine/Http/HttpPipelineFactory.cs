using System;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;

namespace CfManagement.Http
{
    /// <summary>
    /// Builds a session's one HttpClient through Microsoft.Extensions.Http: retry outermost, then the rate-limit
    /// governor, authentication and diagnostics per attempt, over a plain HttpClientHandler.
    /// </summary>
    internal static class HttpPipelineFactory
    {
        private const string ClientName = "cloudflare";

        public static (HttpClient Client, IDisposable Owner) Create(Uri baseUri, Func<SecureString> token, RetryOptions options)
        {
            var governor = new RateLimitGovernor(options.RateLimitRequests, options.RateLimitWindow);
            var services = new ServiceCollection();
            services.AddHttpClient(ClientName, client =>
                {
                    client.BaseAddress = baseUri;
                    client.Timeout = Timeout.InfiniteTimeSpan; // per-attempt timeouts live in RetryHandler
                    client.DefaultRequestHeaders.UserAgent.ParseAdd($"CfManagement/{typeof(HttpPipelineFactory).Assembly.GetName().Version}");
                })
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = false, // a redirect would carry the bearer token to another host
                })
                // One session, one handler chain: no rotation, the governor's state must live as long as the session.
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
                .AddHttpMessageHandler(() => new RetryHandler(options, governor))
                .AddHttpMessageHandler(() => new RateLimitGovernorHandler(governor))
                .AddHttpMessageHandler(() => new AuthenticationHandler(token))
                .AddHttpMessageHandler(() => new DiagnosticsHandler());
            var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
            return (client, provider);
        }
    }
}
