using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Seed;

/// <summary>Fills an empty <see cref="EmulatorState"/> with the well-known seed.</summary>
internal static class Seeder
{
    public static void Apply(EmulatorState state, SeedIds ids, DateTimeOffset now)
    {
        var g = (string name, string scope) => PermissionCatalog.Get(name, scope).Id;

        state.AddUserCore(ids.AdminUserId, ids.AdminUserEmail, superAdmin: true, grantable: []);
        state.AddUserCore(ids.OpsUserId, ids.OpsUserEmail, superAdmin: false, grantable:
        [
            g("Zone Read", PermissionScopes.Zone), g("DNS Read", PermissionScopes.Zone), g("DNS Write", PermissionScopes.Zone),
            g("Workers Scripts Read", PermissionScopes.Account), g("Workers Scripts Write", PermissionScopes.Account),
            g("D1 Read", PermissionScopes.Account), g("D1 Write", PermissionScopes.Account),
            g("Account API Tokens Read", PermissionScopes.Account), g("Account API Tokens Write", PermissionScopes.Account),
            g("API Tokens Read", PermissionScopes.User), g("API Tokens Write", PermissionScopes.User),
            g("User Details Read", PermissionScopes.User),
        ]);

        state.AddZone("raxx.app", SeedIds.RaxxAppZoneId);
        state.AddZone("getraxx.com", SeedIds.GetraxxComZoneId);
        state.AddZone("raxx.io", SeedIds.RaxxIoZoneId);
        state.AddZone("example.com", SeedIds.ExampleComZoneId);

        state.AddWorkerScript(SeedIds.ApiWorkerScript);
        state.AddWorkerScript(SeedIds.CronWorkerScript);
        // Cloudflare creates an account's first store on first use; the seed has it already.
        state.SecretsStore.Add(SecretsStore.SecretsStoreRegistry.DefaultStoreName, now);

        var everyNonR2 = PermissionCatalog.All.Where(p => p.Scope != PermissionScopes.R2Bucket).Select(p => p.Id);
        var zoneRead = new[] { g("Zone Read", PermissionScopes.Zone) };
        var allZones = new Dictionary<string, string> { ["com.cloudflare.api.account.zone.*"] = "*" };

        Add(state, TokenOwnerKind.User, ids.AdminUserId, ids.AdminTokenId, ids.AdminTokenValue, "admin-manager", everyNonR2);
        Add(state, TokenOwnerKind.Account, ids.AdminUserId, ids.AccountTokenId, ids.AccountTokenValue, "account-manager",
            [g("Account API Tokens Read", PermissionScopes.Account), g("Account API Tokens Write", PermissionScopes.Account)]);
        Add(state, TokenOwnerKind.User, ids.OpsUserId, ids.OpsTokenId, ids.OpsTokenValue, "ops-dns",
            [g("DNS Write", PermissionScopes.Zone)],
            resources: new Dictionary<string, string> { ["com.cloudflare.api.account.zone." + SeedIds.GetraxxComZoneId] = "*" });
        Add(state, TokenOwnerKind.User, ids.AdminUserId, ids.WorkersTokenId, ids.WorkersTokenValue, "workers-deploy",
            [g("Workers Scripts Write", PermissionScopes.Account), g("D1 Write", PermissionScopes.Account)]);
        Add(state, TokenOwnerKind.User, ids.AdminUserId, ids.ExpiredUserTokenId, ids.ExpiredUserTokenValue, "admin-expired",
            zoneRead, allZones, expiresOn: now.AddDays(-30));
        Add(state, TokenOwnerKind.User, ids.AdminUserId, ids.DisabledUserTokenId, ids.DisabledUserTokenValue, "admin-disabled",
            zoneRead, allZones, status: TokenStatuses.Disabled);
        Add(state, TokenOwnerKind.User, ids.AdminUserId, ids.LegacyTokenId, ids.LegacyTokenValue, "legacy-zone-read",
            zoneRead, allZones, legacy: true);
        Add(state, TokenOwnerKind.Account, ids.OpsUserId, ids.OpsAccountTokenId, ids.OpsAccountTokenValue, "ops-workers",
            [g("Workers Scripts Read", PermissionScopes.Account)]);
        Add(state, TokenOwnerKind.Account, ids.AdminUserId, ids.DashboardAccountTokenId, ids.DashboardAccountTokenValue, "dashboard-deploy",
            [g("Workers Scripts Write", PermissionScopes.Account), g("Pages Write", PermissionScopes.Account)]);
        Add(state, TokenOwnerKind.Account, ids.AdminUserId, ids.ExpiredAccountTokenId, ids.ExpiredAccountTokenValue, "account-expired",
            [g("D1 Read", PermissionScopes.Account)], expiresOn: now.AddDays(-1));
    }

    private static void Add(EmulatorState state, TokenOwnerKind owner, string userId, string id, string value, string name,
        IEnumerable<string> groups, IDictionary<string, string>? resources = null, DateTimeOffset? expiresOn = null,
        string status = TokenStatuses.Active, bool legacy = false)
    {
        var policies = state.BuildPolicies(owner == TokenOwnerKind.User ? userId : null, groups, resources);
        state.InsertToken(owner, userId, name, policies, expiresOn, notBefore: null, status, legacy, id, value);
    }
}
