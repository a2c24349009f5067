using System;

namespace CfManagement.Model
{
    /// <summary>Where a registered consumer reads its credential (the prefix of its destination).</summary>
    public enum CfTokenConsumerKind
    {
        /// <summary>worker:&lt;script&gt;/&lt;binding&gt;: a Worker script secret.</summary>
        Worker,
        /// <summary>secrets-store:&lt;store name or id&gt;/&lt;secret&gt;: an account Secrets Store secret.</summary>
        SecretsStore,
        /// <summary>pages:&lt;project&gt;/&lt;production|preview&gt;/&lt;NAME&gt;: a Pages project secret.</summary>
        Pages,
        /// <summary>github:NAME: an environment variable of a GitHub Actions job's later steps ($GITHUB_ENV).</summary>
        GitHubEnv,
        /// <summary>github-output:NAME: a GitHub Actions step output ($GITHUB_OUTPUT).</summary>
        GitHubOutput,
        /// <summary>external:&lt;free text&gt;: a consumer the module cannot push to (Terraform, a person, another system).</summary>
        External,
    }

    /// <summary>
    /// One entry of the consumer map (Register-/Get-/Unregister-CfTokenConsumer): a credential, by its vault secret
    /// name, and one place that uses it. Names and places only; the value is never here.
    /// </summary>
    public sealed class CfTokenConsumer
    {
        public CfTokenConsumer(string credential, CfTokenConsumerKind kind, string destination, string? target, string? secretName,
            string? environment, string? clientIdName, string? description, DateTimeOffset registeredOn, string? registeredBy)
        {
            Credential = credential;
            Kind = kind;
            Destination = destination;
            Target = target;
            SecretName = secretName;
            Environment = environment;
            ClientIdName = clientIdName;
            Description = description;
            RegisteredOn = registeredOn;
            RegisteredBy = registeredBy;
        }

        /// <summary>The credential's vault secret name, e.g. CF_WAF_EDIT_RAXX_APP.</summary>
        public string Credential { get; }
        public CfTokenConsumerKind Kind { get; }
        /// <summary>The destination as registered, e.g. worker:api-worker/CF_API_TOKEN or external:Terraform.</summary>
        public string Destination { get; }
        /// <summary>The Worker script, Secrets Store (name or id) or Pages project; null for GitHub and external consumers.</summary>
        public string? Target { get; }
        /// <summary>The Worker binding, Secrets Store secret, Pages variable or GitHub variable/output name; null for external consumers.
        /// For an Access service token, the name of its client secret.</summary>
        public string? SecretName { get; }
        /// <summary>production or preview for a Pages consumer; null otherwise.</summary>
        public string? Environment { get; }
        /// <summary>
        /// For an Access service token: the name its client id goes under, beside <see cref="SecretName"/> (the client
        /// secret). The -ClientIdName given at registration, else SecretName with a trailing _CLIENT_SECRET replaced by
        /// _CLIENT_ID, else SecretName + _CLIENT_ID. Null for external consumers. Unused for API tokens (one value).
        /// </summary>
        public string? ClientIdName { get; }
        public string? Description { get; }
        /// <summary>When the consumer was first registered (UTC).</summary>
        public DateTimeOffset RegisteredOn { get; }
        /// <summary>Who first registered it (user@machine).</summary>
        public string? RegisteredBy { get; }

        public override string ToString() => $"{Credential} -> {Destination}";
    }
}
