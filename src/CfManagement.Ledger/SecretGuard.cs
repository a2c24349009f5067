using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace CfManagement.Ledger;

/// <summary>
/// The last line of defence for "the ledger never holds a secret": both engines call this before every write,
/// so a caller that passes a token value by mistake gets an error instead of a credential at rest (possibly in D1,
/// readable by anyone with D1 Read). The error names the field, never the value.
/// </summary>
public static class SecretGuard
{
    // Cloudflare's prefixed credentials: user tokens (cfut_), account tokens (cfat_), API keys (cfk_).
    private static readonly Regex Prefixed = new(@"(?<![A-Za-z0-9])(cfut|cfat|cfk)_[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant);

    // Legacy (unprefixed) token values: a 40+ character run of token alphabet with no spaces.
    private static readonly Regex LongRun = new(@"[A-Za-z0-9_-]{40,}", RegexOptions.CultureInvariant);

    public static void EnsureNoSecret(LedgerEntry e)
    {
        if (e is null) throw new ArgumentNullException(nameof(e));
        Check(nameof(e.OperationId), e.OperationId);
        Check(nameof(e.Action), e.Action);
        Check(nameof(e.TokenId), e.TokenId);
        Check(nameof(e.TokenName), e.TokenName);
        Check(nameof(e.Scope), e.Scope);
        Check(nameof(e.AccountId), e.AccountId);
        Check(nameof(e.Purpose), e.Purpose);
        Check(nameof(e.Destination), e.Destination);
        Check(nameof(e.Actor), e.Actor);
        Check(nameof(e.Detail), e.Detail);
        Check(nameof(e.ErrorId), e.ErrorId);
    }

    public static void EnsureNoSecret(ManagedTokenRecord r)
    {
        if (r is null) throw new ArgumentNullException(nameof(r));
        Check(nameof(r.TokenId), r.TokenId);
        Check(nameof(r.TokenName), r.TokenName);
        Check(nameof(r.Scope), r.Scope);
        Check(nameof(r.Purpose), r.Purpose);
        Check(nameof(r.AccountId), r.AccountId);
        Check(nameof(r.State), r.State);
        Check(nameof(r.ReplacedBy), r.ReplacedBy);
        var destinations = r.Destinations ?? Array.Empty<string>();
        for (var i = 0; i < destinations.Count; i++)
            Check($"{nameof(r.Destinations)}[{i}]", destinations[i]);
    }

    public static void EnsureNoSecret(TokenConsumerRecord c)
    {
        if (c is null) throw new ArgumentNullException(nameof(c));
        Check(nameof(c.Credential), c.Credential);
        Check(nameof(c.Destination), c.Destination);
        Check(nameof(c.Kind), c.Kind);
        Check(nameof(c.Description), c.Description);
        Check(nameof(c.ClientIdName), c.ClientIdName);
        Check(nameof(c.RegisteredBy), c.RegisteredBy);
    }

    /// <summary>
    /// True when <paramref name="text"/> holds something shaped like a credential. The same test guards text the module
    /// did not write itself (a vault extension's verbose lines) before it is relayed to the caller's streams.
    /// </summary>
    public static bool LooksLikeSecret(string? text) => text is not null && Reason(text) is not null;

    private static string? Reason(string value)
    {
        if (Prefixed.IsMatch(value)) return "a Cloudflare credential prefix (cfut_/cfat_/cfk_)";
        foreach (Match run in LongRun.Matches(value))
            if (!IsReadableName(run.Value))
                return "a run of 40 or more token characters";
        return null;
    }

    private static void Check(string field, string? value)
    {
        if (value is null) return;
        if (Reason(value) is string reason) throw Refuse(field, reason);
    }

    /// <summary>
    /// Long names are legitimate (ci-deploy-production-eu-west-cluster-primary, its Worker binding
    /// CI_DEPLOY_PRODUCTION_EU_WEST_CLUSTER_PRIMARY): single-case words joined by '-' or '_', none longer than 20.
    /// Credentials are one random run, in mixed case.
    /// </summary>
    private static bool IsReadableName(string run)
    {
        bool upper = false, lower = false;
        foreach (var c in run)
        {
            upper |= char.IsUpper(c);
            lower |= char.IsLower(c);
        }
        if (upper && lower) return false;
        var words = run.Split('-', '_');
        if (words.Length < 2) return false;
        foreach (var word in words)
            if (word.Length > 20) return false;
        return true;
    }

    private static ArgumentException Refuse(string field, string reason) =>
        new($"The ledger field '{field}' looks like it contains a credential ({reason}); the ledger never stores secret values.", field);
}
