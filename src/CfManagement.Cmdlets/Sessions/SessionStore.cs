using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CfManagement.Sessions;

namespace CfManagement.Sessions
{
    /// <summary>
    /// The default session of each runspace. Keyed weakly by Runspace so that ForEach-Object -Parallel, jobs and
    /// separate runspaces never share (or leak) a connection.
    /// </summary>
    internal static class SessionStore
    {
        private sealed class Slot
        {
            public CfSession? Session;
        }

        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();

        private static Slot? Current => Runspace.DefaultRunspace == null ? null : Slots.GetValue(Runspace.DefaultRunspace, _ => new Slot());

        public static CfSession? Get()
        {
            var session = Current?.Session;
            return session == null || session.IsDisposed ? null : session;
        }

        /// <summary>Makes <paramref name="session"/> the runspace default and disposes the one it replaces.</summary>
        public static void Set(CfSession session)
        {
            var slot = Current;
            if (slot == null) return;
            var previous = slot.Session;
            slot.Session = session;
            if (previous != null && !ReferenceEquals(previous, session)) previous.Dispose();
        }

        public static CfSession? Remove()
        {
            var slot = Current;
            if (slot == null) return null;
            var previous = slot.Session;
            slot.Session = null;
            return previous;
        }
    }
}
