using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Tokens;

/// <summary>/user/tokens: the caller's own user tokens; needs API Tokens Read/Write on its user.</summary>
internal sealed class UserTokenFamily : TokenFamily
{
    public override TokenOwnerKind Owner => TokenOwnerKind.User;

    public override void RequireAccess(ApiContext context, bool write) =>
        context.Require(write ? PermissionCatalog.ApiTokensWrite : PermissionCatalog.ApiTokensRead, ResourceTarget.User(context.Caller.OwnerUserId!));

    public override bool CanListPermissionGroups(ApiContext context) =>
        context.Has(PermissionCatalog.ApiTokensRead, ResourceTarget.User(context.Caller.OwnerUserId!));

    public override IEnumerable<Token> Visible(ApiContext context) =>
        context.State.Tokens.Where(t => t.Owner == TokenOwnerKind.User && t.OwnerUserId == context.Caller.OwnerUserId);

    public override IReadOnlySet<string>? Grantable(ApiContext context) =>
        context.CallerUser is { IsSuperAdmin: true } ? null : context.CallerUser?.GrantableGroupIds ?? new HashSet<string>();

    public override void CheckQuota(ApiContext context)
    {
        if (context.State.CountUserTokens(context.Caller.OwnerUserId!) >= context.Options.UserTokenQuota)
            throw QuotaExceeded();
    }

    public override string? OwnerOrCreatorUserId(ApiContext context) => context.Caller.OwnerUserId;
}
