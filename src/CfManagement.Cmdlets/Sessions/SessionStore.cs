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

        /// <summary>
        /// Makes <paramref name="session"/> the runspace default. The one it replaces stays usable: Connect-CfAccount
        /// returns every session so an admin can keep several side by side (-Session $prod, -Session $staging);
        /// only Disconnect-CfAccount wipes one.
        /// </summary>
        public static void Set(CfSession session)
        {
            var slot = Current;
            if (slot == null) return;
            slot.Session = session;
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
