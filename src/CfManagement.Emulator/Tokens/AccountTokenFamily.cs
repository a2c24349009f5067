using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Tokens;

/// <summary>
/// /accounts/{account_id}/tokens: needs Account API Tokens Read/Write on the account and membership.
/// Account tokens and Super Administrators see every account token; other users only those they created.
/// </summary>
internal sealed class AccountTokenFamily(string accountId) : TokenFamily
{
    public override TokenOwnerKind Owner => TokenOwnerKind.Account;

    public override void RequireAccess(ApiContext context, bool write)
    {
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.AccountApiTokensWrite : PermissionCatalog.AccountApiTokensRead, ResourceTarget.Account(accountId));
    }

    public override bool CanListPermissionGroups(ApiContext context)
    {
        context.RequireAccountMember(accountId);
        return context.Has(PermissionCatalog.AccountApiTokensRead, ResourceTarget.Account(accountId));
    }

    public override IEnumerable<Token> Visible(ApiContext context)
    {
        var all = context.State.Tokens.Where(t => t.Owner == TokenOwnerKind.Account && t.AccountId == accountId);
        if (context.CallerIsAccountToken || context.CallerUser is { IsSuperAdmin: true })
            return all;
        var userId = context.CallerUser?.Id;
        return all.Where(t => t.CreatedByUserId is not null && t.CreatedByUserId == userId);
    }

    public override IReadOnlySet<string>? Grantable(ApiContext context) => context.CallerIsAccountToken
        ? PermissionEvaluator.HeldNonUserGroups(context.Caller)
        : context.CallerUser is { IsSuperAdmin: true } ? null : context.CallerUser?.GrantableGroupIds ?? new HashSet<string>();

    public override void CheckQuota(ApiContext context)
    {
        if (context.State.CountAccountTokens(accountId) >= context.Options.AccountTokenQuota)
            throw QuotaExceeded();
    }

    public override string? OwnerOrCreatorUserId(ApiContext context) => context.CallerIsAccountToken ? null : context.Caller.OwnerUserId;
}
