namespace CfManagement.Secrets
{
    /// <summary>Turns a recorded destination description back into a destination (for cleanup); null for "caller".</summary>
    internal static class DestinationParser
    {
        public static ISecretDestination? Parse(string description)
        {
            var (kind, rest) = Split(description, ':');
            if (kind == PagesSecretDestination.Kind) return PagesSecretDestination.Parse(rest);
            var (container, name) = Split(rest, '/');
            if (container.Length == 0 || name.Length == 0) return null;
            if (kind == "vault") return new VaultDestination(container, name);
            if (kind == "worker") return new WorkerSecretDestination(container, name);
            return null;
        }

        private static (string Head, string Tail) Split(string value, char separator)
        {
            var at = value.IndexOf(separator);
            return at < 0 ? (value, "") : (value.Substring(0, at), value.Substring(at + 1));
        }
    }
}
