
namespace CfManagement.Emulator;

/// <summary>
/// Ids and (fake) token values of the well-known seed. Generated once per emulator instance and
/// reused by <see cref="EmulatorState.Reset"/>, so a value read before a reset still works after it.
/// </summary>
public sealed record SeedIds
{
    public string AdminUserEmail { get; } = "admin@example.com";
    public string AdminUserId { get; } = Ids.NewHexId();
    public string OpsUserEmail { get; } = "ops@example.com";
    public string OpsUserId { get; } = Ids.NewHexId();

    /// <summary>User token "admin-manager": every user, account and zone permission group.</summary>
    public string AdminTokenId { get; } = Ids.NewHexId();
    public string AdminTokenValue { get; } = Ids.NewUserTokenValue();

    /// <summary>Account token "account-manager" (created by admin): Account API Tokens Read + Write.</summary>
    public string AccountTokenId { get; } = Ids.NewHexId();
    public string AccountTokenValue { get; } = Ids.NewAccountTokenValue();

    /// <summary>User token "ops-dns" of ops@example.com: DNS Write on getraxx.com only.</summary>
    public string OpsTokenId { get; } = Ids.NewHexId();
    public string OpsTokenValue { get; } = Ids.NewUserTokenValue();

    /// <summary>User token "workers-deploy" (admin): Workers Scripts Write + D1 Write on the account.</summary>
    public string WorkersTokenId { get; } = Ids.NewHexId();
    public string WorkersTokenValue { get; } = Ids.NewUserTokenValue();

    /// <summary>User token "admin-expired" (admin): Zone Read, expired 30 days before start.</summary>
    public string ExpiredUserTokenId { get; } = Ids.NewHexId();
    public string ExpiredUserTokenValue { get; } = Ids.NewUserTokenValue();

    /// <summary>User token "admin-disabled" (admin): Zone Read, status disabled.</summary>
    public string DisabledUserTokenId { get; } = Ids.NewHexId();
    public string DisabledUserTokenValue { get; } = Ids.NewUserTokenValue();

    /// <summary>User token "legacy-zone-read" (admin) in the old unprefixed 40-character format.</summary>
    public string LegacyTokenId { get; } = Ids.NewHexId();
    public string LegacyTokenValue { get; } = Ids.NewLegacyTokenValue();

    /// <summary>Account token "ops-workers" created by ops@example.com: Workers Scripts Read.</summary>
    public string OpsAccountTokenId { get; } = Ids.NewHexId();
    public string OpsAccountTokenValue { get; } = Ids.NewAccountTokenValue();

    /// <summary>Account token "dashboard-deploy" created by the admin in the dashboard: Workers Scripts Write, Pages Write.</summary>
    public string DashboardAccountTokenId { get; } = Ids.NewHexId();
    public string DashboardAccountTokenValue { get; } = Ids.NewAccountTokenValue();

    /// <summary>Account token "account-expired" (admin): D1 Read, expired.</summary>
    public string ExpiredAccountTokenId { get; } = Ids.NewHexId();
    public string ExpiredAccountTokenValue { get; } = Ids.NewAccountTokenValue();

    // Zones (real ids quoted in the runbook seed, plus the docs' example zone id).
    public const string RaxxAppZoneId = "f12dbb5cac57d5591a5058874498a6d1";
    public const string GetraxxComZoneId = "0bdcee38d1da2d021eb6166f0bd6204f";
    public const string RaxxIoZoneId = "f3d1b89d86d1aa63a003f2826a8f841c";
    public const string ExampleComZoneId = "023e105f4ecef8ad9ca31a8372d0c353";

    // Worker scripts (no secrets at start).
    public const string ApiWorkerScript = "api-worker";
    public const string CronWorkerScript = "cron-worker";
}
