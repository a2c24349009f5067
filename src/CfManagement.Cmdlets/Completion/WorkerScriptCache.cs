using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using CfManagement.Api;
using CfManagement.Model;
using CfManagement.Sessions;

namespace CfManagement.Completion
{
    /// <summary>
    /// The session's Worker scripts for completion: fetched within a few seconds, kept a minute (repeated Tab presses
    /// cost one request, new scripts show up soon), per session so two sessions never see each other's scripts.
    /// </summary>
    internal static class WorkerScriptCache
    {
        private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
        private static readonly ConditionalWeakTable<CfSession, Entry> Entries = new ConditionalWeakTable<CfSession, Entry>();

        private sealed class Entry
        {
            public DateTime FetchedUtc;
            public IReadOnlyList<CfWorker> Scripts = new List<CfWorker>();
        }

        /// <summary>Empty when there is no usable session, no account, or on any failure (completion never throws).</summary>
        public static IReadOnlyList<CfWorker> Scripts(CfSession? session)
        {
            if (session == null || session.IsDisposed || string.IsNullOrEmpty(session.AccountId)) return new List<CfWorker>();
            var entry = Entries.GetOrCreateValue(session);
            lock (entry)
            {
                if (entry.FetchedUtc != default && DateTime.UtcNow - entry.FetchedUtc < Lifetime) return entry.Scripts;
                try
                {
                    using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                    {
                        entry.Scripts = new WorkerScriptsApi(session.Client).ListAsync(session.AccountId!, null, budget.Token).GetAwaiter().GetResult();
                        entry.FetchedUtc = DateTime.UtcNow;
                        return entry.Scripts;
                    }
                }
                catch (Exception)
                {
                    return new List<CfWorker>(); // the next Tab tries again
                }
            }
        }
    }
}
