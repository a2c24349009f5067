using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;

namespace CfManagement.Access
{
    /// <summary>
    /// Calls a URL the way a service behind Cloudflare Access is called: one GET with CF-Access-Client-Id and
    /// CF-Access-Client-Secret (or, for the control request, with neither). The secret goes to that URL only: redirects
    /// are never followed (a 3xx is reported with its Location), no cookie is kept or sent, and nothing but the status
    /// and a few secret-free headers comes back from here.
    /// </summary>
    internal static class AccessProbe
    {
        public const string ClientIdHeader = "CF-Access-Client-Id";
        public const string ClientSecretHeader = "CF-Access-Client-Secret";
        private static readonly string UserAgent = $"CfManagement/{typeof(AccessProbe).Assembly.GetName().Version} (Test-CfAccessServiceToken)";

        /// <summary>
        /// Sends the probe. <paramref name="clientSecret"/> null sends the control request (no token at all). Transport
        /// failures and the timeout become an Unreachable answer; <paramref name="stop"/> (Ctrl+C) cancels.
        /// </summary>
        public static async Task<AccessProbeResponse> SendAsync(Uri uri, string? clientId, SecureString? clientSecret, TimeSpan timeout,
            CancellationToken stop, HttpMessageHandler? handler = null)
        {
            var watch = Stopwatch.StartNew();
            string? secret = null;
            using (var client = new HttpClient(handler ?? new HttpClientHandler
                   {
                       AllowAutoRedirect = false, // a redirect would carry the secret to wherever it points
                       UseCookies = false,        // nothing from an earlier answer goes along
                       AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                   }, disposeHandler: handler == null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan })
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                if (clientSecret != null)
                {
                    secret = SecureStringReader.ToPlainText(clientSecret);
                    request.Headers.TryAddWithoutValidation(ClientIdHeader, clientId ?? string.Empty);
                    request.Headers.TryAddWithoutValidation(ClientSecretHeader, secret);
                }
                deadline.CancelAfter(timeout);
                var what = clientSecret == null ? "without a token (control request)" : $"with client id {clientId}";
                ApiDiagnostics.Verbose($"GET {Shown(uri)} {what}");
                try
                {
                    using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false))
                    {
                        var answer = AccessProbeResponse.Answered((int)response.StatusCode, KeptHeaders(response, secret), CookieNames(response),
                            RedirectTarget(uri, response, secret), watch.Elapsed);
                        ApiDiagnostics.Verbose($"GET {Shown(uri)} {what}: {answer.StatusCode} in {watch.ElapsedMilliseconds} ms");
                        return answer;
                    }
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    return Unreachable(uri, $"no answer within {timeout.TotalSeconds:0.###} s (-TimeoutSec)", watch);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested && (ex is HttpRequestException || ex is System.IO.IOException || ex is SocketException || ex is AuthenticationException))
                {
                    return Unreachable(uri, Describe(ex), watch);
                }
            }
        }

        private static AccessProbeResponse Unreachable(Uri uri, string why, Stopwatch watch)
        {
            ApiDiagnostics.Verbose($"GET {Shown(uri)}: unreachable ({why})");
            return AccessProbeResponse.Unreachable(why, watch.Elapsed);
        }

        /// <summary>The URL as shown in diagnostics: no query (it is the caller's, and may carry anything).</summary>
        internal static string Shown(Uri uri) => uri.GetLeftPart(UriPartial.Path);

        /// <summary>Headers that tell who answered. A value that contains the secret (an origin echoing it) is withheld.</summary>
        internal static IReadOnlyDictionary<string, string> KeptHeaders(HttpResponseMessage response, string? secret)
        {
            var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in response.Headers.Concat(response.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            {
                var name = header.Key.ToLowerInvariant();
                if (!IsTelling(name)) continue;
                var value = string.Join(", ", header.Value);
                if (secret != null && secret.Length > 0 && value.IndexOf(secret, StringComparison.Ordinal) >= 0) value = "(withheld: it contains the client secret)";
                else if (value.Length > 200) value = value.Substring(0, 200) + "...";
                kept[name] = value;
            }
            return kept;
        }

        internal static bool IsTelling(string lowerName) =>
            lowerName.StartsWith("cf-access-", StringComparison.Ordinal) || lowerName == "cf-ray" || lowerName == "server" || lowerName == "www-authenticate";

        /// <summary>The names of the cookies set; their values (Access's JWT among them) are never read into the result.</summary>
        internal static IReadOnlyList<string> CookieNames(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var cookies)) return Array.Empty<string>();
            return cookies.Select(c => c.Split(new[] { '=' }, 2)[0].Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// Where a 3xx points, made absolute, without its query except Access's kid (the application's AUD tag), which
        /// names the application; withheld whole if it carries the secret.
        /// </summary>
        internal static string? RedirectTarget(Uri requested, HttpResponseMessage response, string? secret)
        {
            var status = (int)response.StatusCode;
            if (status < 300 || status >= 400 || response.Headers.Location == null) return null;
            var location = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(requested, response.Headers.Location);
            if (secret != null && secret.Length > 0 && Uri.UnescapeDataString(location.OriginalString).IndexOf(secret, StringComparison.Ordinal) >= 0)
                return "(withheld: it contains the client secret)";
            var shown = location.GetLeftPart(UriPartial.Path);
            var kid = QueryValue(location, "kid");
            return kid == null ? shown : $"{shown}?kid={kid}";
        }

        private static string? QueryValue(Uri uri, string name)
        {
            foreach (var pair in uri.Query.TrimStart('?').Split('&'))
            {
                var parts = pair.Split(new[] { '=' }, 2);
                if (parts.Length == 2 && parts[0] == name) return Uri.UnescapeDataString(parts[1]);
            }
            return null;
        }

        /// <summary>Why no answer came, in words: the socket error when there is one.</summary>
        internal static string Describe(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                switch (e)
                {
                    case SocketException socket:
                        switch (socket.SocketErrorCode)
                        {
                            case SocketError.ConnectionRefused: return "connection refused (nothing listens on that port)";
                            case SocketError.HostNotFound:
                            case SocketError.NoData:
                            case SocketError.TryAgain: return "the host name did not resolve (DNS)";
                            case SocketError.TimedOut: return "the connection timed out";
                            case SocketError.NetworkUnreachable:
                            case SocketError.HostUnreachable: return "the network or host is unreachable";
                            case SocketError.ConnectionReset: return "the connection was reset";
                            default: return $"socket error {socket.SocketErrorCode}";
                        }
                    case AuthenticationException tls:
                        return $"the TLS handshake failed ({tls.Message})";
                }
            }
            var innermost = ex;
            while (innermost.InnerException != null) innermost = innermost.InnerException;
            return innermost.Message;
        }
    }
}
