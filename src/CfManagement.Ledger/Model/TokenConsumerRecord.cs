using System;

namespace CfManagement.Ledger;

/// <summary>
/// One row of the consumer map (seed 004's "Consumer map"): a credential, by its vault secret name, and one place that
/// uses it. Places and names only, never values (<see cref="SecretGuard"/> refuses anything shaped like a credential).
/// </summary>
public sealed class TokenConsumerRecord
{
    /// <summary>The credential's vault secret name, e.g. CF_WAF_EDIT_RAXX_APP. Compared case-insensitively (vault names are).</summary>
    public string Credential { get; init; } = "";
    /// <summary>Where it is used, in the destination syntax (worker:script/BINDING, external:Terraform ...). Compared exactly.</summary>
    public string Destination { get; init; } = "";
    /// <summary>Worker, SecretsStore, Pages, GitHubEnv, GitHubOutput or External (stored by name).</summary>
    public string Kind { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>
    /// Where an Access service token's client id goes beside the client secret the destination names; null means the
    /// default rule of the cmdlets (see Register-CfTokenConsumer).
    /// </summary>
    public string? ClientIdName { get; init; }
    /// <summary>When the pair was first registered (a later register of the same pair keeps it).</summary>
    public DateTimeOffset RegisteredOn { get; init; }
    /// <summary>Who first registered it (user@machine).</summary>
    public string? RegisteredBy { get; init; }

    public override string ToString() => $"{Credential} -> {Destination}";
}
