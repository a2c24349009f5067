namespace CfManagement.Managed
{
    /// <summary>Lifecycle states of a managed token in the ledger's registry.</summary>
    internal static class ManagedTokenStates
    {
        /// <summary>Minted, value not yet stored everywhere. A Pending row older than the flow can take is an orphan for cleanup.</summary>
        public const string Pending = "Pending";
        public const string Active = "Active";
        public const string RolledBack = "RolledBack";
        public const string Revoked = "Revoked";
        /// <summary>Reissued (Repair-CfToken -Reissue): the row's ReplacedBy names the replacement, which has its own row and its destinations.</summary>
        public const string Replaced = "Replaced";

        /// <summary>
        /// Revoked, rolled back or replaced: nothing of the token is left to manage (a replaced token's destinations now
        /// hold its replacement's value, so cleanup must not touch them).
        /// </summary>
        public static bool IsRemoved(string state) => state == Revoked || state == RolledBack || state == Replaced;
    }
}
