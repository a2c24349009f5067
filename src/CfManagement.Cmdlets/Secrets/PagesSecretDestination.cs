using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Pages;
using CfManagement.Validation;

namespace CfManagement.Secrets
{
    /// <summary>
    /// A secret_text variable of a Pages project environment (Pages Functions read it as env.NAME): written and removed
    /// by a PATCH of the project that names only this variable, so the project's other variables stay as they are.
    /// Described as pages:&lt;project&gt;/&lt;environment&gt;/&lt;NAME&gt;.
    /// </summary>
    internal sealed class PagesSecretDestination : ISecretDestination
    {
        public const string Kind = "pages";

        private readonly string? _part;

        /// <param name="part">The credential part written (null: the primary secret), e.g. an Access service token's ClientId.</param>
        public PagesSecretDestination(string project, string environment, string secretName, string? part = null)
        {
            Project = project;
            Environment = environment;
            SecretName = secretName;
            _part = part;
        }

        public string Project { get; }
        public string Environment { get; }
        public string SecretName { get; }
        public string Description => $"{Kind}:{Project}/{Environment}/{SecretName}";

        /// <summary>The -PagesProject, -PagesEnvironment and -PagesSecretName checks, before any request.</summary>
        public static List<ErrorRecord> Validate(string? project, string? environment, string? secretName)
        {
            var errors = new List<ErrorRecord>();
            if (project != null && PagesInput.CheckProjectName(project, "PagesProject") is ErrorRecord badProject) errors.Add(badProject);
            if (environment != null && PagesInput.CheckEnvironment(environment, "PagesEnvironment", out _) is ErrorRecord badEnvironment) errors.Add(badEnvironment);
            if (secretName != null && !PagesInput.IsVariableName(secretName))
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, "PagesSecretName", secretName,
                    $"-PagesSecretName '{secretName}' is not a variable name (a letter or '_', then letters, digits or '_').", "Use a name such as CF_API_TOKEN."));
            foreach (var (parameter, value) in new[] { ("PagesEnvironment", environment), ("PagesSecretName", secretName) })
                if (value != null && project == null)
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, parameter, value, $"-{parameter} needs -PagesProject.", "Add -PagesProject <project>."));
            return errors;
        }

        /// <summary>Pages projects live in an account; null when the session has one or no Pages destination is asked for.</summary>
        public static ErrorRecord? CheckSession(Sessions.CfSession session, string? project) =>
            project != null && string.IsNullOrEmpty(session.AccountId)
                ? InputValidator.AccountRequired("PagesProject", project, "-PagesProject writes a Pages secret, which lives in an account")
                : null;

        /// <summary>The destination the parameters name (none without -PagesProject); the environment defaults to production, the name to the token's.</summary>
        public static IEnumerable<ISecretDestination> Create(string tokenName, string? project, string? environment, string? secretName)
        {
            if (project == null) yield break;
            PagesInput.CheckEnvironment(environment ?? PagesApi.Production, "PagesEnvironment", out var canonical);
            yield return new PagesSecretDestination(project, canonical, secretName ?? WorkerSecretDestination.BindingNameFor(tokenName));
        }

        /// <summary>Reads "project/environment/NAME" (the part after "pages:"); null when it is not that shape.</summary>
        public static PagesSecretDestination? Parse(string rest)
        {
            var parts = rest.Split('/');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0) return null;
            if (PagesInput.CheckEnvironment(parts[1], "PagesEnvironment", out var environment) != null) return null;
            return new PagesSecretDestination(parts[0], environment, parts[2]);
        }

        public void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            var value = credential.ValueOf(_part);
            var session = cmdlet.CurrentSession;
            var accountId = session.AccountId ?? throw new DestinationException("Pages secrets live in an account, but the session has no account id.", null);
            try
            {
                cmdlet.AwaitEvenIfStopping(ct => session.Pages.SetSecretsAsync(accountId, Project, Environment,
                    new Dictionary<string, SecureString?> { [SecretName] = value }, ct));
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Writing secret {SecretName} of Pages project '{Project}' ({Environment}) failed: {ex.Message}", ex);
            }
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            var session = cmdlet.CurrentSession;
            try
            {
                // null deletes the variable; deleting one that is absent changes nothing, so a repeat is safe.
                cmdlet.AwaitEvenIfStopping(ct => session.Pages.SetSecretsAsync(session.AccountId!, Project, Environment,
                    new Dictionary<string, SecureString?> { [SecretName] = null }, ct));
            }
            catch (CloudflareApiException ex) when (PagesInput.IsProjectNotFound(ex))
            {
                // the project is gone, and its variables with it
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Removing secret {SecretName} of Pages project '{Project}' ({Environment}) failed: {ex.Message}", ex);
            }
        }
    }
}
