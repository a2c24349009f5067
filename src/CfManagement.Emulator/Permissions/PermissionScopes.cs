namespace CfManagement.Emulator;

/// <summary>The scope strings Cloudflare attaches to permission groups.</summary>
public static class PermissionScopes
{
    public const string User = "com.cloudflare.api.user";
    public const string Account = "com.cloudflare.api.account";
    public const string Zone = "com.cloudflare.api.account.zone";
    public const string R2Bucket = "com.cloudflare.edge.r2.bucket";
}
