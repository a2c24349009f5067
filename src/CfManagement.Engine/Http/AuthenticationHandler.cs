using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Http
{
    /// <summary>Adds the bearer token, decrypted from the session's SecureString only for the moment of sending.</summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        private readonly Func<SecureString> _sessionToken;

        public AuthenticationHandler(Func<SecureString> sessionToken) => _sessionToken = sessionToken;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var token = RequestProperties.TokenOverride(request) ?? _sessionToken();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecureStringReader.ToPlainText(token));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
