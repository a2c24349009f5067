using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Api;
using CfManagement.Commands.SecretsStore;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Pages;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Consumers
{
    /// <summary>A consumer destination, parsed and in its canonical spelling (what the ledger stores and matches on).</summary>
    internal sealed class ConsumerDestination
    {
        public ConsumerDestination(CfTokenConsumerKind kind, string canonical, string? target, string? secretName, string? environment)
        {
            Kind = kind;
            Canonical = canonical;
            Target = target;
            SecretName = secretName;
            Environment = environment;
        }

        public CfTokenConsumerKind Kind { get; }
        public string Canonical { get; }
        public string? Target { get; }
        public string? SecretName { get; }
        public string? Environment { get; }
    }

    /// <summary>
    /// The input rules of the consumer map, checked before any ledger write. Destinations use the syntax of
    /// <see cref="DestinationParser"/> (worker:, secrets-store:, pages:, github:, github-output:) plus external:&lt;text&gt;
    /// for a consumer the module cannot push to. Every refusal names the parameter and the accepted forms; a value that
    /// looks like a credential is refused without being echoed anywhere (ConsumerLooksLikeSecret).
    /// </summary>
    internal static class TokenConsumerInput
    {
        public const string ExternalKind = "external";
        public const int MaxCredentialLength = 127;
        public const int MaxExternalLength = 200;
        public const int MaxDescriptionLength = 500;

        /// <summary>The accepted forms, for every destination refusal.</summary>
        public const string AcceptedForms =
            "Use one of: worker:<script>/<BINDING>, secrets-store:<store name or id>/<secret>, pages:<project>/<production|preview>/<NAME>, " +
            "github:<NAME> ($GITHUB_ENV), github-output:<NAME> ($GITHUB_OUTPUT), or external:<free text> for a consumer the module cannot write to (e.g. external:Terraform).";

        // A vault secret name as SecretManagement vaults, Azure Key Vault and the runbook's vault all take it.
        private static readonly Regex CredentialName = new Regex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex VariableName = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);
        private static readonly Regex StoreName = new Regex("^[A-Za-z0-9_-]{1,255}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The companion suffixes of the vault convention (NAME__TOKEN_ID ...): those entries describe a credential, they
        /// are not one, so nothing consumes them.
        /// </summary>
        public static readonly string[] CompanionSuffixes =
            { "TOKEN_ID", "EXPIRES_AT", "SCOPES", "CLIENT_ID", "REVOKED_AT", "REVOKED_REASON", "ISSUED_AT", "TOKEN_NAME", "PURPOSE" };

        public static ErrorRecord LooksLikeSecret(string parameterName) =>
            // The value is neither the target nor in the message: it may be a live credential.
            InputValidator.Invalid(ErrorIds.ConsumerLooksLikeSecret, parameterName, null,
                $"-{parameterName} looks like it contains a credential (a Cloudflare token prefix or a long random run); the consumer map holds names and places, never secret values.",
                $"Pass the name or place in -{parameterName} (e.g. a vault secret name or worker:<script>/<BINDING>), never the token itself. If a value was pasted, treat it as exposed and roll it.");

        /// <summary>Null when <paramref name="name"/> is a credential's vault secret name (not a companion entry).</summary>
        public static ErrorRecord? CheckCredential(string? name, string parameterName)
        {
            if (name != null && SecretGuard.LooksLikeSecret(name)) return LooksLikeSecret(parameterName);
            if (string.IsNullOrWhiteSpace(name))
                return InputValidator.Invalid(ErrorIds.InvalidConsumerCredential, parameterName, name,
                    $"-{parameterName} must name the credential's vault secret (e.g. CF_WAF_EDIT_RAXX_APP).", "Pass the vault secret name the credential is stored under.");
            if (name!.Length > MaxCredentialLength || !CredentialName.IsMatch(name))
                return InputValidator.Invalid(ErrorIds.InvalidConsumerCredential, parameterName, name,
                    $"-{parameterName} '{name}' is not a vault secret name: 1 to {MaxCredentialLength} letters, digits, '_', '-' or '.', starting with a letter, digit or '_' (no spaces or wildcards).",
                    "Pass the vault secret name the credential is stored under, e.g. CF_WAF_EDIT_RAXX_APP (Get-CfVaultCredential lists them).");
            if (CompanionOf(name) is string owner)
                return InputValidator.Invalid(ErrorIds.ConsumerCredentialIsCompanion, parameterName, name,
                    $"-{parameterName} '{name}' is a companion entry of the vault convention (it describes the credential '{owner}'), not a credential.",
                    $"Register the credential itself: -{parameterName} {owner}.");
            return null;
        }

        /// <summary>The credential a companion name belongs to (CF_X__TOKEN_ID → CF_X); null when it is not a companion.</summary>
        public static string? CompanionOf(string name)
        {
            var at = name.LastIndexOf("__", StringComparison.Ordinal);
            if (at <= 0) return null;
            var suffix = name.Substring(at + 2);
            return CompanionSuffixes.Any(s => string.Equals(s, suffix, StringComparison.OrdinalIgnoreCase)) ? name.Substring(0, at) : null;
        }

        /// <summary>Null when <paramref name="description"/> is a usable description.</summary>
        public static ErrorRecord? CheckDescription(string? description, string parameterName)
        {
            if (description == null) return null;
            if (SecretGuard.LooksLikeSecret(description)) return LooksLikeSecret(parameterName);
            if (description.Length > MaxDescriptionLength || description.Any(c => char.IsControl(c) && c != '\t'))
                return InputValidator.Invalid(ErrorIds.InvalidConsumerDescription, parameterName, description.Length > 60 ? description.Substring(0, 60) + "..." : description,
                    $"-{parameterName} must be one line of at most {MaxDescriptionLength} characters (it is {description.Length}{(description.Any(char.IsControl) ? ", with line breaks or control characters" : "")}).",
                    "Say in one line how the consumer uses the credential, e.g. 'Deploys WAF rate-limit rules on raxx.app'.");
            return null;
        }

        /// <summary>
        /// Parses <paramref name="text"/> into a destination, or returns the refusal. The kind prefix is matched in any case
        /// and stored in lower case; a Pages environment is stored as production or preview.
        /// </summary>
        public static ErrorRecord? ParseDestination(string? text, string parameterName, out ConsumerDestination? destination)
        {
            destination = null;
            if (text != null && SecretGuard.LooksLikeSecret(text)) return LooksLikeSecret(parameterName);
            ErrorRecord Bad(string why) => InputValidator.Invalid(ErrorIds.InvalidConsumerDestination, parameterName, text,
                $"-{parameterName} '{text}' {why}", AcceptedForms);

            if (string.IsNullOrWhiteSpace(text)) return Bad("is empty: a consumer destination names where the credential is used.");
            var value = text!.Trim();
            var colon = value.IndexOf(':');
            if (colon <= 0) return Bad("has no kind prefix (worker:, secrets-store:, pages:, github:, github-output: or external:).");
            var kind = value.Substring(0, colon).ToLowerInvariant();
            var rest = value.Substring(colon + 1);
            switch (kind)
            {
                case "worker":
                {
                    if (!SplitTwo(rest, out var script, out var binding)) return Bad("is not worker:<script>/<BINDING> (both parts, one '/').");
                    if (!WorkerInputValidator.IsScriptName(script)) return Bad($"names the Worker script '{script}', which is not a script name (lower-case letters, digits, '-' and '_').");
                    if (!VariableName.IsMatch(binding)) return Bad($"names the binding '{binding}', which is not a secret binding name (a letter or '_', then letters, digits or '_').");
                    destination = new ConsumerDestination(CfTokenConsumerKind.Worker, $"worker:{script}/{binding}", script, binding, null);
                    return null;
                }
                case SecretsStoreDestination.Kind:
                {
                    if (!SplitTwo(rest, out var store, out var secret)) return Bad("is not secrets-store:<store name or id>/<secret> (both parts, one '/').");
                    if (!StoreName.IsMatch(store)) return Bad($"names the Secrets Store '{store}', which is not a store name or id (letters, digits, '_' or '-').");
                    if (!StoreName.IsMatch(secret)) return Bad($"names the Secrets Store secret '{secret}', which is not a secret name (letters, digits, '_' or '-').");
                    destination = new ConsumerDestination(CfTokenConsumerKind.SecretsStore, $"{SecretsStoreDestination.Kind}:{store}/{secret}", store, secret, null);
                    return null;
                }
                case PagesSecretDestination.Kind:
                {
                    var parts = rest.Split('/');
                    if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return Bad("is not pages:<project>/<production|preview>/<NAME> (three parts).");
                    if (PagesInput.CheckProjectName(parts[0], parameterName) != null) return Bad($"names the Pages project '{parts[0]}', which is not a project name (lower-case letters, digits and '-').");
                    if (PagesInput.CheckEnvironment(parts[1], parameterName, out var environment) != null) return Bad($"names the Pages environment '{parts[1]}': Pages has exactly two, production and preview.");
                    if (!PagesInput.IsVariableName(parts[2])) return Bad($"names the Pages variable '{parts[2]}', which is not a variable name (a letter or '_', then letters, digits or '_').");
                    destination = new ConsumerDestination(CfTokenConsumerKind.Pages, $"{PagesSecretDestination.Kind}:{parts[0]}/{environment}/{parts[2]}", parts[0], parts[2], environment);
                    return null;
                }
                case GitHubActionsDestination.EnvKind:
                case GitHubActionsDestination.OutputKind:
                {
                    var output = kind == GitHubActionsDestination.OutputKind;
                    if (!VariableName.IsMatch(rest)) return Bad($"names '{rest}', which is not an environment variable name (a letter or '_', then letters, digits or '_').");
                    if (!output && (rest.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("RUNNER_", StringComparison.OrdinalIgnoreCase)))
                        return Bad($"names '{rest}': GitHub Actions does not let a step overwrite GITHUB_* and RUNNER_* variables.");
                    destination = new ConsumerDestination(output ? CfTokenConsumerKind.GitHubOutput : CfTokenConsumerKind.GitHubEnv, $"{kind}:{rest}", null, rest, null);
                    return null;
                }
                case ExternalKind:
                {
                    var what = rest.Trim();
                    if (what.Length == 0) return Bad("has no text after external: (say who or what uses the credential, e.g. external:Terraform).");
                    if (what.Length > MaxExternalLength || what.Any(char.IsControl))
                        return Bad($"is too long or spans lines: the text after external: is one line of at most {MaxExternalLength} characters.");
                    destination = new ConsumerDestination(CfTokenConsumerKind.External, $"{ExternalKind}:{what}", null, null, null);
                    return null;
                }
                case "vault":
                    return Bad("is a vault: a vault is where the credential is kept (its name is -Credential), not a consumer of it.");
                default:
                    return Bad($"has the unknown kind '{value.Substring(0, colon)}:'.");
            }
        }

        /// <summary>
        /// The name an Access service token's client id goes under beside the client secret <paramref name="secretName"/>:
        /// <paramref name="explicitName"/> when given, else the secret name with a trailing _CLIENT_SECRET replaced by
        /// _CLIENT_ID (CI_REGISTRY_CLIENT_SECRET → CI_REGISTRY_CLIENT_ID, the pair New-CfAccessServiceToken writes), else
        /// the secret name + _CLIENT_ID. Null when there is no secret name (external consumers).
        /// </summary>
        public static string? ClientIdNameFor(string? secretName, string? explicitName)
        {
            if (secretName == null) return null;
            if (!string.IsNullOrEmpty(explicitName)) return explicitName;
            const string suffix = "_CLIENT_SECRET";
            return secretName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                ? secretName.Substring(0, secretName.Length - suffix.Length) + (char.IsLower(secretName[secretName.Length - 1]) ? "_client_id" : "_CLIENT_ID")
                : secretName + "_CLIENT_ID";
        }

        /// <summary>Null when <paramref name="clientIdName"/> can go beside <paramref name="destination"/>'s secret.</summary>
        public static ErrorRecord? CheckClientIdName(string? clientIdName, ConsumerDestination? destination, string parameterName)
        {
            if (clientIdName == null) return null;
            if (SecretGuard.LooksLikeSecret(clientIdName)) return LooksLikeSecret(parameterName);
            if (!VariableName.IsMatch(clientIdName))
                return InputValidator.Invalid(ErrorIds.InvalidSecretName, parameterName, clientIdName,
                    $"-{parameterName} '{clientIdName}' is not a secret name a Worker, Pages project, Secrets Store and GitHub all take (a letter or '_', then letters, digits or '_'; at most 255).",
                    "Use a name such as CI_REGISTRY_CLIENT_ID, or omit it for the default rule.");
            if (destination == null) return null;
            if (destination.Kind == CfTokenConsumerKind.External)
                return InputValidator.Invalid(ErrorIds.ConflictingParameters, parameterName, clientIdName,
                    $"-{parameterName} names where an Access service token's client id goes, but an external: consumer is not written to by the module.",
                    "Drop -ClientIdName, or register a worker:, secrets-store:, pages: or github: destination.");
            if (string.Equals(clientIdName, destination.SecretName, StringComparison.OrdinalIgnoreCase))
                return InputValidator.Invalid(ErrorIds.ConflictingParameters, parameterName, clientIdName,
                    $"-{parameterName} '{clientIdName}' is the destination's own secret name: the client id would overwrite the client secret.",
                    "Give the client id another name, e.g. " + (ClientIdNameFor(destination.SecretName, null) ?? "NAME_CLIENT_ID") + ".");
            return null;
        }

        /// <summary>The output object for a stored row; the destination's parts come from parsing it again.</summary>
        public static CfTokenConsumer ToModel(TokenConsumerRecord record)
        {
            ParseDestination(record.Destination, "Destination", out var parsed);
            var kind = parsed?.Kind ?? (Enum.TryParse<CfTokenConsumerKind>(record.Kind, out var stored) ? stored : CfTokenConsumerKind.External);
            return new CfTokenConsumer(record.Credential, kind, record.Destination, parsed?.Target, parsed?.SecretName, parsed?.Environment,
                ClientIdNameFor(parsed?.SecretName, record.ClientIdName), record.Description, record.RegisteredOn, record.RegisteredBy);
        }

        private static bool SplitTwo(string rest, out string first, out string second)
        {
            var parts = rest.Split('/');
            first = parts[0];
            second = parts.Length == 2 ? parts[1] : "";
            return parts.Length == 2 && first.Length > 0 && second.Length > 0;
        }
    }
}
