using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Http;
using CfManagement.Json;

namespace CfManagement.Api
{
    /// <summary>
    /// Sends one call through the session's pipeline and decodes Cloudflare's envelope. Every failure leaves here as
    /// a <see cref="CloudflareApiException"/>; user cancellation leaves as <see cref="OperationCanceledException"/>.
    /// </summary>
    public sealed class CloudflareClient
    {
        public const int DefaultPageSize = 50;
        private readonly HttpClient _http;

        internal CloudflareClient(HttpClient http) => _http = http;

        public Uri BaseUri => _http.BaseAddress!;

        /// <summary>The session pipeline itself, for libraries that speak to other endpoints with the same auth, retry and governor (the D1 ledger).</summary>
        internal HttpClient Http => _http;

        internal async Task<(T Result, WireEnvelope Envelope)> SendAsync<T>(HttpMethod method, string path, object? body,
            bool idempotent, CancellationToken cancellationToken, SecureString? tokenOverride = null,
            IDictionary<string, string>? query = null, string? contentType = null)
        {
            var (typed, envelope) = await SendForEnvelopeAsync<T>(method, path, body, idempotent, cancellationToken, tokenOverride, query, contentType).ConfigureAwait(false);
            if (typed != null) return (typed.Result, envelope);
            var result = envelope.Result.ValueKind == JsonValueKind.Undefined || envelope.Result.ValueKind == JsonValueKind.Null
                ? default!
                : envelope.Result.Deserialize<T>(CloudflareJson.Options)!;
            return (result, envelope);
        }

        internal Task<(T Result, WireEnvelope Envelope)> GetAsync<T>(string path, CancellationToken cancellationToken,
            IDictionary<string, string>? query = null, SecureString? tokenOverride = null) =>
            SendAsync<T>(HttpMethod.Get, path, null, true, cancellationToken, tokenOverride, query);

        internal async Task<ApiPage<TModel>> GetPageAsync<TWire, TModel>(string path, int page, Func<TWire, TModel> map,
            CancellationToken cancellationToken, IDictionary<string, string>? query = null, int perPage = DefaultPageSize)
        {
            var q = query == null ? new Dictionary<string, string>() : new Dictionary<string, string>(query);
            q["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
            q["per_page"] = perPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (items, envelope) = await GetAsync<List<TWire>>(path, cancellationToken, q).ConfigureAwait(false);
            var info = envelope.ResultInfo;
            var list = (items ?? new List<TWire>()).Select(map).ToList();
            var totalCount = info?.TotalCount ?? list.Count;
            var size = info?.PerPage > 0 ? info.PerPage : perPage;
            var totalPages = info?.TotalPages ?? (int)Math.Ceiling(totalCount / (double)Math.Max(1, size));
            // A short page (fewer items than per_page, or none) is the last one whatever result_info claims: a server
            // that over-reports total_count or total_pages must not cost a request per phantom page.
            if (list.Count < size) totalPages = page;
            return new ApiPage<TModel>(list, page, Math.Max(totalPages, page), totalCount);
        }

        /// <summary>
        /// The typed envelope when a successful answer decodes in one pass (the common case); otherwise null and the
        /// untyped envelope, decoded and checked exactly as before, so failures and odd shapes behave the same.
        /// </summary>
        private async Task<(WireEnvelope<T>? Typed, WireEnvelope Envelope)> SendForEnvelopeAsync<T>(HttpMethod method, string path, object? body, bool idempotent,
            CancellationToken cancellationToken, SecureString? tokenOverride, IDictionary<string, string>? query, string? contentType)
        {
            var displayPath = "/" + path.TrimStart('/');
            using (var request = new HttpRequestMessage(method, BuildUri(path, query)))
            {
                RequestProperties.SetIdempotent(request, idempotent);
                if (tokenOverride != null) RequestProperties.SetTokenOverride(request, tokenOverride);
                if (body is HttpContent prepared)
                    request.Content = prepared; // a multipart upload, built by the caller
                else if (body != null)
                    request.Content = new StringContent(JsonSerializer.Serialize(body, CloudflareJson.Options), Encoding.UTF8, contentType ?? "application/json");

                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (TimeoutException ex)
                {
                    throw new CloudflareApiException(ApiFailureKind.Timeout, method.Method, displayPath, null,
                        Array.Empty<CloudflareError>(), $"Cloudflare API {method.Method} {displayPath} timed out: {ex.Message}", ex);
                }
                catch (RateLimitWaitException ex)
                {
                    var wait = Math.Ceiling(ex.Wait.TotalSeconds);
                    var failure = new CloudflareApiException(ApiFailureKind.RateLimited, method.Method, displayPath, null, Array.Empty<CloudflareError>(),
                        $"Cloudflare API {method.Method} {displayPath} was not sent: the rate limit allows the next request in {wait:0} s, longer than this session waits ({ex.MaxWait.TotalSeconds:0.#} s, -MaxRetryWaitSeconds).",
                        ex, ex.Wait);
                    ApiDiagnostics.Verbose(failure.Message);
                    throw failure;
                }
                catch (HttpRequestException ex)
                {
                    throw new CloudflareApiException(ApiFailureKind.Connection, method.Method, displayPath, null,
                        Array.Empty<CloudflareError>(), $"Cloudflare API {method.Method} {displayPath} could not be reached: {ex.GetBaseException().Message}", ex);
                }

                using (response)
                {
                    // The common case, a successful UTF-8 answer, decodes straight from the bytes in one pass.
                    // Anything else (an error, another charset, an odd shape) takes the text path below, unchanged.
                    var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
                    if (response.IsSuccessStatusCode && (string.IsNullOrEmpty(charset) || string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)))
                    {
                        var utf8 = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        var json = new ReadOnlySpan<byte>(utf8);
                        if (json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF) json = json.Slice(3); // BOM
                        try
                        {
                            var typed = JsonSerializer.Deserialize<WireEnvelope<T>>(json, CloudflareJson.Options);
                            if (typed != null && typed.Success) return (typed, typed.Header());
                        }
                        catch (JsonException)
                        {
                            // decoded again below, as text, so a malformed answer fails exactly as it always has
                        }
                    }

                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    WireEnvelope? envelope = null;
                    try
                    {
                        envelope = JsonSerializer.Deserialize<WireEnvelope>(text, CloudflareJson.Options);
                    }
                    catch (JsonException)
                    {
                        // falls through to the protocol error below; the body is not quoted (it could hold anything)
                    }

                    var errors = (envelope?.Errors ?? new List<WireError>()).Select(WireMapper.ToError).ToList();
                    if (!response.IsSuccessStatusCode || envelope == null || !envelope.Success)
                    {
                        if (envelope == null && response.IsSuccessStatusCode)
                            throw new CloudflareApiException(ApiFailureKind.Protocol, method.Method, displayPath, response.StatusCode,
                                errors, $"Cloudflare API {method.Method} {displayPath} returned {(int)response.StatusCode} without a Cloudflare envelope.");
                        var failure = CloudflareApiException.FromResponse(method.Method, displayPath,
                            response.StatusCode == HttpStatusCode.OK && envelope != null && !envelope.Success ? HttpStatusCode.BadRequest : response.StatusCode,
                            errors, RetryHandler.RetryAfterOf(response));
                        ApiDiagnostics.Verbose($"Cloudflare API {method.Method} {displayPath} failed: {(int)response.StatusCode} {string.Join("; ", errors.Select(e => e.ToString()))}");
                        throw failure;
                    }
                    return (null, envelope);
                }
            }
        }

        private static string BuildUri(string path, IDictionary<string, string>? query)
        {
            var relative = path.TrimStart('/');
            if (query == null || query.Count == 0) return relative;
            return relative + "?" + string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        }
    }
}
