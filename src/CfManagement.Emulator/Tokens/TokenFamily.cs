using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Tokens;

/// <summary>
/// The rules that differ between /user/tokens and /accounts/{account_id}/tokens: which permission
/// the caller needs, which tokens it can see, what it may grant, and the quota.
/// </summary>
internal abstract class TokenFamily
{
    public abstract TokenOwnerKind Owner { get; }

    /// <summary>403 10000 unless the caller may read (write=false) or change (write=true) tokens here.</summary>
    public abstract void RequireAccess(ApiContext context, bool write);

    /// <summary>Whether the caller holds the Read permission (permission_groups answers 403 9109 otherwise).</summary>
    public abstract bool CanListPermissionGroups(ApiContext context);

    public abstract IEnumerable<Token> Visible(ApiContext context);

    /// <summary>Permission group ids the caller's principal may put on a new token.</summary>
    public abstract IReadOnlySet<string>? Grantable(ApiContext context);

    /// <summary>400 1114 when the owner already has its maximum number of tokens.</summary>
    public abstract void CheckQuota(ApiContext context);

    /// <summary>User id recorded as owner (user tokens) or creator (account tokens).</summary>
    public abstract string? OwnerOrCreatorUserId(ApiContext context);

    public Token FindVisible(ApiContext context, string id) =>
        Visible(context).FirstOrDefault(t => t.Id == id)
        ?? throw new ApiException(404, ErrorCodes.TokenNotFound, "Token not found"); // Chosen code: see ErrorCodes.TokenNotFound.

    protected static ApiException QuotaExceeded() =>
        ApiException.BadRequest(ErrorCodes.TokenQuotaExceeded, "exceeded maximum number of tokens");
}
