using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Http
{
    /// <summary>
    /// Reports each attempt as debug text: method, path, status, elapsed time and the cf-ray id. It reads no header
    /// that could hold a credential and no body, so what it writes is safe by construction.
    /// </summary>
    internal sealed class DiagnosticsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri?.AbsolutePath ?? "";
            var watch = Stopwatch.StartNew();
            ApiDiagnostics.Debug($"HTTP {request.Method} {path}");
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var ray = response.Headers.TryGetValues("cf-ray", out var rays) ? $" cf-ray={rays.FirstOrDefault()}" : "";
            ApiDiagnostics.Debug($"HTTP {request.Method} {path} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms{ray}");
            return response;
        }
    }
}
