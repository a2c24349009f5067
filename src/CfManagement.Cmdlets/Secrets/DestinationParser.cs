namespace CfManagement.Secrets
{
    /// <summary>
    /// Turns a recorded destination description back into a destination (for cleanup); null for "caller" or anything
    /// else it does not know. Syntax: <c>vault:&lt;vault&gt;/&lt;secret&gt;</c>, <c>worker:&lt;script&gt;/&lt;binding&gt;</c>,
    /// <c>secrets-store:&lt;store name or id&gt;/&lt;secret&gt;</c>; both parts non-empty; <c>github:NAME</c>, <c>github-output:NAME</c>.
    /// </summary>
    internal static class DestinationParser
    {
        public static ISecretDestination? Parse(string description)
        {
            var (kind, rest) = Split(description, ':');
            if (kind == PagesSecretDestination.Kind) return PagesSecretDestination.Parse(rest);
            if (kind == GitHubActionsDestination.EnvKind || kind == GitHubActionsDestination.OutputKind) return GitHubActionsDestination.Parse(kind, rest);
            var (container, name) = Split(rest, '/');
            if (container.Length == 0 || name.Length == 0) return null;
            if (kind == "vault") return new VaultDestination(container, name);
            if (kind == "worker") return new WorkerSecretDestination(container, name);
            if (kind == SecretsStoreDestination.Kind) return new SecretsStoreDestination(container, name);
            return null;
        }

        private static (string Head, string Tail) Split(string value, char separator)
        {
            var at = value.IndexOf(separator);
            return at < 0 ? (value, "") : (value.Substring(0, at), value.Substring(at + 1));
        }
    }
}
