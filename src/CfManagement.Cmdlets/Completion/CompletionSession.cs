using System.Collections;
using System.Collections.Generic;
using System.Threading;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Completion
{
    /// <summary>What completers may use: the -Session being typed or the runspace's session, with a short network budget.</summary>
    internal static class CompletionSession
    {
        public static CfSession? From(IDictionary fakeBoundParameters) =>
            fakeBoundParameters != null && fakeBoundParameters.Contains("Session") && fakeBoundParameters["Session"] is CfSession explicitSession
                ? explicitSession
                : SessionStore.Get();

        /// <summary>The cached catalogue, fetched within a few seconds if the session has none yet; empty on any failure.</summary>
        public static IReadOnlyList<CfPermissionGroup> PermissionGroups(CfSession? session)
        {
            if (session == null) return new List<CfPermissionGroup>();
            if (session.CachedPermissionGroups is IReadOnlyList<CfPermissionGroup> cached) return cached;
            try
            {
                using (var budget = new CancellationTokenSource(System.TimeSpan.FromSeconds(5)))
                    return session.GetPermissionGroupsAsync(budget.Token).GetAwaiter().GetResult();
            }
            catch (System.Exception)
            {
                return new List<CfPermissionGroup>(); // completion must never throw at the user
            }
        }

        public static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ',', ';', '{', '}', '@', '#', '&' }) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;

        public static string Unquote(string word) => (word ?? string.Empty).Trim('\'', '"');
    }
}
