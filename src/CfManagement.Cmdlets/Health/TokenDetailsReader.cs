using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Json;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Health
{
    /// <summary>Reads a token's details (GET .../tokens/{id}) with the session's token or, for the verify-only path, the token's own value.</summary>
    internal static class TokenDetailsReader
    {
        public static async Task<CfToken> GetAsync(CfSession session, CfTokenScope scope, string id, SecureString? asToken, CancellationToken ct)
        {
            if (asToken == null) return await session.Tokens.GetAsync(scope, session.AccountId, id, ct).ConfigureAwait(false);
            var (wire, _) = await session.Client.GetAsync<WireToken>($"{TokensApi.BasePath(scope, session.AccountId)}/{id}", ct, null, asToken).ConfigureAwait(false);
            return WireMapper.ToToken(wire, scope, session.AccountId);
        }

        /// <summary>Answers that mean "this credential may not read that token" (not visible, not permitted, wrong kind of token).</summary>
        public static bool IsRefusal(CloudflareApiException ex)
        {
            if (ex.Kind != ApiFailureKind.Response || !ex.StatusCode.HasValue) return false;
            var status = (int)ex.StatusCode.Value;
            return status == 401 || status == 403 || status == 404;
        }
    }
}
