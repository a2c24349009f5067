using System.Linq;
using CfManagement.Api;
using CfManagement.Issuance;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Tokens
{
    /// <summary>
    /// A creator cannot grant more than it holds, and Cloudflare then silently drops the rest (API-FACTS), so every
    /// new token is verified and its grants compared with what was asked. It writes through the flow's writer, so nothing
    /// reaches a stopping pipeline (New-CfToken passes its cmdlet's flow context).
    /// </summary>
    internal static class TokenCreationCheck
    {
        /// <summary>Names of the requested groups the new token did not get; empty when it got them all.</summary>
        public static string[] WarnIfReduced(IFlowContext context, CfSession session, CfTokenScope owner, CfTokenDefinition asked, CfCreatedToken created)
        {
            try
            {
                var verification = context.Await(ct => session.Tokens.VerifyAsync(owner, session.AccountId, created.Value, ct));
                if (!verification.IsActive)
                    context.Writer.Warning($"Token '{created.Token.Name}' ({created.Token.Id}) was created but verifies as '{verification.Status}'.");
            }
            catch (CloudflareApiException ex)
            {
                var hint = created.Token.AllowedIp.Count > 0 || created.Token.DeniedIp.Count > 0 ? " (its IP filter may exclude this machine)" : "";
                context.Writer.Warning($"Token '{created.Token.Name}' ({created.Token.Id}) was created but could not be verified{hint}: {ex.Message}");
            }

            var granted = created.Token.Policies.SelectMany(p => p.PermissionGroups).Select(g => g.Id).ToList();
            var missing = asked.Policies.SelectMany(p => p.PermissionGroups).Where(g => !granted.Contains(g.Id)).Select(g => g.Name).Distinct().ToArray();
            if (missing.Length > 0)
                context.Writer.Warning($"Token '{created.Token.Name}' ({created.Token.Id}) has fewer permissions than asked: missing {string.Join(", ", missing.Select(m => "'" + m + "'"))}. " +
                                    "The creating token cannot grant permissions it does not hold; create it with a token that has them.");
            return missing;
        }
    }
}
