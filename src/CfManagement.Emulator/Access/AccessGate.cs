namespace CfManagement.Emulator.Access;

/// <summary>
/// Access in front of an application, for service-token callers (strict mode: 401 when the credentials do not
/// authenticate, 403 when they do but no policy admits them). In order:
/// <list type="number">
/// <item>Authenticate CF-Access-Client-Id + CF-Access-Client-Secret: both must be sent, the client id must belong to a
/// token of the account, the secret must be its current one or its previous one within the grace window, and the token
/// must be enabled and not expired. A deleted token's client id is unknown.</item>
/// <item>A bypass policy that matches the caller (its token if it authenticated, else nobody) admits it: 200.</item>
/// <item>Not authenticated: 401.</item>
/// <item>The token was seen (last_seen_at = now); the first non_identity or deny policy in precedence order that
/// matches decides (200 or 403); allow policies need an identity login and never match a token; none matching: 403.</item>
/// </list>
/// Callers hold the state's gate.
/// </summary>
internal static class AccessGate
{
    public static AccessDecision Decide(AccessStore store, AccessApplication app, string? clientId, string? clientSecret, DateTimeOffset now)
    {
        var (token, failure) = Authenticate(store, clientId, clientSecret, now);
        var bypass = app.Policies.OrderBy(p => p.Precedence).FirstOrDefault(p => p.Decision == AccessPolicy.Bypass && p.Matches(token));
        if (bypass is not null)
            return new AccessDecision(AccessOutcome.Bypassed, $"bypass policy '{bypass.Name}'", token);
        if (token is null)
            return new AccessDecision(AccessOutcome.Unauthenticated, failure!, null);

        token.LastSeenAt = now;
        foreach (var policy in app.Policies.OrderBy(p => p.Precedence))
        {
            if (policy.Decision is not (AccessPolicy.NonIdentity or AccessPolicy.Deny) || !policy.Matches(token))
                continue;
            return policy.Decision == AccessPolicy.Deny
                ? new AccessDecision(AccessOutcome.Forbidden, $"deny policy '{policy.Name}'", token)
                : new AccessDecision(AccessOutcome.Allowed, $"service auth policy '{policy.Name}'", token);
        }
        return new AccessDecision(AccessOutcome.Forbidden, "no policy admits this service token", token);
    }

    private static (AccessServiceToken? Token, string? Failure) Authenticate(AccessStore store, string? clientId, string? clientSecret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(clientId) && string.IsNullOrEmpty(clientSecret))
            return (null, "no service token sent");
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
            return (null, "CF-Access-Client-Id and CF-Access-Client-Secret must both be sent");
        var token = store.FindTokenByClientId(clientId);
        if (token is null)
            return (null, "unknown client id");
        var match = token.Match(clientSecret, now);
        if (match == SecretMatch.None)
            return (null, token.PreviousSecret is not null && token.Match(clientSecret, DateTimeOffset.MinValue) == SecretMatch.Previous
                ? "previous client secret past its grace window" : "client secret does not match");
        if (!token.Enabled)
            return (null, "service token disabled");
        if (token.IsExpired(now))
            return (null, "service token expired");
        return (token, null);
    }
}
