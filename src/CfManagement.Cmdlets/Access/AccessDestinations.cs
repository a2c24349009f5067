using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Pages;
using CfManagement.Secrets;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Access
{
    /// <summary>
    /// Where an Access service token's two parts go, from the parameters New-CfAccessServiceToken and
    /// Invoke-CfAccessServiceTokenRotate share. A vault holds the client secret under one name with the client id in its
    /// metadata (or companion NAME__CLIENT_ID); a Worker, Secrets Store or Pages destination holds two secrets, named by
    /// -ClientIdName and -ClientSecretName (default NAME_CLIENT_ID and NAME_CLIENT_SECRET, NAME being the token name in
    /// upper case), the client id first. A GitHub Actions destination (-GitHubEnv / -GitHubOutput NAME) gets the client
    /// secret only, under NAME, masked first: the client id is not secret and does not change when the secret is rotated,
    /// so a workflow keeps it as a plain variable (or reads it from the command's output), and a rotation or a rollback
    /// only ever has one entry to write.
    /// </summary>
    internal sealed class AccessDestinations
    {
        private static readonly Regex BindingName = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);

        public string? Vault { get; set; }
        public string? SecretName { get; set; }
        public string? WorkerScript { get; set; }
        public string? SecretsStore { get; set; }
        public string? PagesProject { get; set; }
        public string? PagesEnvironment { get; set; }
        public string? ClientIdName { get; set; }
        public string? ClientSecretName { get; set; }
        public string? GitHubEnv { get; set; }
        public string? GitHubOutput { get; set; }

        private bool HasNamedPairDestination => WorkerScript != null || SecretsStore != null || PagesProject != null;

        /// <summary>Every problem with the destination parameters (all at once), before any request.</summary>
        public List<ErrorRecord> Validate(PSCmdlet cmdlet)
        {
            var errors = DestinationOptions.Validate(cmdlet, Vault, SecretName, WorkerScript, null, SecretsStore, null);
            errors.AddRange(PagesSecretDestination.Validate(PagesProject, PagesEnvironment, null));
            errors.AddRange(GitHubActionsDestination.Validate(GitHubEnv, GitHubOutput));
            foreach (var (parameter, value) in new[] { ("ClientIdName", ClientIdName), ("ClientSecretName", ClientSecretName) })
            {
                if (value == null) continue;
                if (!BindingName.IsMatch(value))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, parameter, value,
                        $"-{parameter} '{value}' is not a secret name a Worker, Pages project and Secrets Store all take (a letter or '_', then letters, digits or '_'; at most 255).",
                        "Use a name such as CI_REGISTRY_CLIENT_ID."));
                if (!HasNamedPairDestination)
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, parameter, value,
                        $"-{parameter} names a Worker, Secrets Store or Pages secret, but none of -WorkerScript, -SecretsStore or -PagesProject was given (a vault keeps the client id in the secret's metadata).",
                        "Add -WorkerScript, -SecretsStore or -PagesProject, or drop the name."));
            }
            if (ClientIdName != null && ClientSecretName != null && string.Equals(ClientIdName, ClientSecretName, StringComparison.OrdinalIgnoreCase))
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, "ClientSecretName", ClientSecretName,
                    $"-ClientIdName and -ClientSecretName are both '{ClientSecretName}': the secret would overwrite the client id.", "Give the two parts different names."));
            return errors;
        }

        /// <summary>Worker, Secrets Store and Pages secrets live in an account; null when the session has one or none is asked for.</summary>
        public ErrorRecord? CheckSession(CfSession session) =>
            DestinationOptions.CheckSession(session, WorkerScript, SecretsStore) ?? PagesSecretDestination.CheckSession(session, PagesProject);

        /// <summary>The destinations for the service token named <paramref name="tokenName"/>, in delivery order.</summary>
        public List<ISecretDestination> Create(string tokenName)
        {
            var destinations = new List<ISecretDestination>();
            if (Vault != null) destinations.Add(new VaultDestination(Vault, SecretName ?? tokenName));
            var stem = WorkerSecretDestination.BindingNameFor(tokenName);
            var idName = ClientIdName ?? stem + "_CLIENT_ID";
            var secretName = ClientSecretName ?? stem + "_CLIENT_SECRET";
            if (WorkerScript != null)
            {
                destinations.Add(new WorkerSecretDestination(WorkerScript, idName, IssuedCredential.ClientIdPart));
                destinations.Add(new WorkerSecretDestination(WorkerScript, secretName, IssuedCredential.ClientSecretPart));
            }
            if (SecretsStore != null)
            {
                destinations.Add(new SecretsStoreDestination(SecretsStore, idName, IssuedCredential.ClientIdPart));
                destinations.Add(new SecretsStoreDestination(SecretsStore, secretName, IssuedCredential.ClientSecretPart));
            }
            if (PagesProject != null)
            {
                PagesInput.CheckEnvironment(PagesEnvironment ?? Api.PagesApi.Production, "PagesEnvironment", out var environment);
                destinations.Add(new PagesSecretDestination(PagesProject, environment, idName, IssuedCredential.ClientIdPart));
                destinations.Add(new PagesSecretDestination(PagesProject, environment, secretName, IssuedCredential.ClientSecretPart));
            }
            // The client secret (the credential's primary secret) only; see the class remarks.
            destinations.AddRange(GitHubActionsDestination.Create(GitHubEnv, GitHubOutput));
            return destinations;
        }
    }
}
