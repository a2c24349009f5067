using System.Net.Http;
using System.Security;

namespace CfManagement.Http
{
    /// <summary>Per-request settings the handlers read (HttpRequestMessage.Properties works on netstandard2.0 and net4x).</summary>
    internal static class RequestProperties
    {
        private const string IdempotentKey = "CfManagement.Idempotent";
        private const string TokenOverrideKey = "CfManagement.TokenOverride";

        /// <summary>
        /// Whether the call may be repeated after a 5xx or a lost connection. GET is; a roll (PUT .../value) or a
        /// create is not, because a repeat would mint a second value the caller never sees.
        /// </summary>
        public static bool IsIdempotent(HttpRequestMessage request) =>
            request.Properties.TryGetValue(IdempotentKey, out var value) && value is bool b && b;

        public static void SetIdempotent(HttpRequestMessage request, bool idempotent) => request.Properties[IdempotentKey] = idempotent;

        /// <summary>A token other than the session's to authenticate this one request (verifying a given value).</summary>
        public static SecureString? TokenOverride(HttpRequestMessage request) =>
            request.Properties.TryGetValue(TokenOverrideKey, out var value) ? value as SecureString : null;

        public static void SetTokenOverride(HttpRequestMessage request, SecureString token) => request.Properties[TokenOverrideKey] = token;
    }
}
