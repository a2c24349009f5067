namespace CfManagement.Emulator.Access;

/// <summary>What Access decided for one request to an application, and why (the reason is for the admin log only).</summary>
internal sealed record AccessDecision(AccessOutcome Outcome, string Reason, AccessServiceToken? Token)
{
    public int Status => Outcome switch
    {
        AccessOutcome.Unauthenticated => 401,
        AccessOutcome.Forbidden => 403,
        _ => 200,
    };
}

/// <summary>The outcomes of the protected origin (see <see cref="AccessOrigin"/>).</summary>
internal enum AccessOutcome
{
    /// <summary>No application covers the URL: the origin answers directly.</summary>
    NotProtected,
    /// <summary>A bypass policy admitted the request without authentication.</summary>
    Bypassed,
    /// <summary>A valid service token admitted by a non_identity policy.</summary>
    Allowed,
    /// <summary>No credentials, or credentials that do not authenticate: 401.</summary>
    Unauthenticated,
    /// <summary>A valid token that no policy admits, or that a deny policy refuses: 403.</summary>
    Forbidden,
}
