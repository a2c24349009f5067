namespace CfManagement.Model
{
    /// <summary>Who owns a token: a user (<c>/user/tokens</c>) or an account (<c>/accounts/{id}/tokens</c>).</summary>
    public enum CfTokenScope
    {
        User,
        Account,
    }
}
