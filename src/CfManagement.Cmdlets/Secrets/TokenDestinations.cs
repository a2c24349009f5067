using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Sessions;

namespace CfManagement.Secrets
{
    /// <summary>
    /// Where an API token's value goes, from the destination parameters every command that mints or rolls one declares
    /// (New-CfToken, New-CfManagedToken, Invoke-CfTokenRoll, Repair-CfToken -Reissue): -Vault/-SecretName,
    /// -WorkerScript/-WorkerSecretName, -SecretsStore/-SecretsStoreSecretName, -PagesProject/-PagesEnvironment/-PagesSecretName,
    /// -GitHubEnv/-GitHubOutput. The declarations stay on each cmdlet (PowerShell binds parameters declared on the
    /// cmdlet's own type hierarchy, and those commands have different bases and parameter sets); the rules live here
    /// once: every problem found before any request, the account check, and the destinations in delivery order.
    /// </summary>
    internal sealed class TokenDestinations
    {
        public string? Vault { get; set; }
        public string? SecretName { get; set; }
        public string? WorkerScript { get; set; }
        public string? WorkerSecretName { get; set; }
        public string? SecretsStore { get; set; }
        public string? SecretsStoreSecretName { get; set; }
        public string? PagesProject { get; set; }
        public string? PagesEnvironment { get; set; }
        public string? PagesSecretName { get; set; }
        public string? GitHubEnv { get; set; }
        public string? GitHubOutput { get; set; }

        /// <summary>True when at least one destination is named (the value is then not returned to the caller).</summary>
        public bool Any => Vault != null || WorkerScript != null || SecretsStore != null || PagesProject != null || GitHubEnv != null || GitHubOutput != null;

        /// <summary>Every problem with the destination parameters (all at once), before any request.</summary>
        public List<ErrorRecord> Validate(PSCmdlet cmdlet)
        {
            var errors = DestinationOptions.Validate(cmdlet, Vault, SecretName, WorkerScript, WorkerSecretName, SecretsStore, SecretsStoreSecretName);
            errors.AddRange(PagesSecretDestination.Validate(PagesProject, PagesEnvironment, PagesSecretName));
            errors.AddRange(GitHubActionsDestination.Validate(GitHubEnv, GitHubOutput));
            return errors;
        }

        /// <summary>Worker, Secrets Store and Pages secrets live in an account; null when the session has one or none is asked for.</summary>
        public ErrorRecord? CheckSession(CfSession session) =>
            DestinationOptions.CheckSession(session, WorkerScript, SecretsStore) ?? PagesSecretDestination.CheckSession(session, PagesProject);

        /// <summary>The destinations for the token named <paramref name="tokenName"/>, in delivery order (vault, Worker, Secrets Store, Pages, GitHub).</summary>
        public List<ISecretDestination> Create(string tokenName)
        {
            var destinations = DestinationOptions.Create(tokenName, Vault, SecretName, WorkerScript, WorkerSecretName, SecretsStore, SecretsStoreSecretName);
            destinations.AddRange(PagesSecretDestination.Create(tokenName, PagesProject, PagesEnvironment, PagesSecretName));
            destinations.AddRange(GitHubActionsDestination.Create(GitHubEnv, GitHubOutput));
            return destinations;
        }

        /// <summary>"returned to the caller", or the destinations' descriptions (for ShouldProcess).</summary>
        public static string Describe(IReadOnlyCollection<ISecretDestination> destinations) =>
            destinations.Count == 0 ? "returned to the caller" : string.Join(", ", destinations.Select(d => d.Description));
    }
}
