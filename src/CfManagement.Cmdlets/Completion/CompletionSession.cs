using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Completion
{
    /// <summary>What completers may use: the -Session being typed or the runspace's session, with a short network budget.</summary>
    internal static class CompletionSession
    {
        public static CfSession? From(IDictionary fakeBoundParameters)
        {
            var value = fakeBoundParameters != null && fakeBoundParameters.Contains("Session") ? fakeBoundParameters["Session"] : null;
            // A variable typed on the line ($s) arrives wrapped in a PSObject.
            if (value is System.Management.Automation.PSObject wrapped) value = wrapped.BaseObject;
            return value as CfSession ?? SessionStore.Get();
        }

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

        /// <summary>How long a zone list stays good for completion: long enough for repeated Tab presses, short enough to see new zones.</summary>
        private static readonly System.TimeSpan ZoneCacheLifetime = System.TimeSpan.FromSeconds(60);

        // Per session, so two runspaces (or -Session objects) never see each other's zones; collected with the session.
        private static readonly ConditionalWeakTable<CfSession, ZoneCache> ZoneCaches = new ConditionalWeakTable<CfSession, ZoneCache>();

        private sealed class ZoneCache
        {
            public System.DateTime FetchedUtc;
            public IReadOnlyList<CfZone> Zones = new List<CfZone>();
        }

        /// <summary>The session's zones (every page, within a few seconds), cached briefly; empty on any failure.</summary>
        public static IReadOnlyList<CfZone> Zones(CfSession? session)
        {
            if (session == null || session.IsDisposed) return new List<CfZone>();
            var cache = ZoneCaches.GetOrCreateValue(session);
            lock (cache)
            {
                if (cache.FetchedUtc != default && System.DateTime.UtcNow - cache.FetchedUtc < ZoneCacheLifetime) return cache.Zones;
                try
                {
                    using (var budget = new CancellationTokenSource(System.TimeSpan.FromSeconds(5)))
                    {
                        var zones = new List<CfZone>();
                        for (var page = 1; page <= 20; page++)
                        {
                            var result = session.Zones.ListPageAsync(null, session.AccountId, page, budget.Token).GetAwaiter().GetResult();
                            zones.AddRange(result.Items);
                            if (!result.HasMore) break;
                        }
                        cache.Zones = zones;
                        cache.FetchedUtc = System.DateTime.UtcNow;
                        return zones;
                    }
                }
                catch (System.Exception)
                {
                    return new List<CfZone>(); // completion must never throw at the user; the next Tab tries again
                }
            }
        }

        public static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ',', ';', '{', '}', '@', '#', '&' }) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;

        public static string Unquote(string word) => (word ?? string.Empty).Trim('\'', '"');
    }
}
