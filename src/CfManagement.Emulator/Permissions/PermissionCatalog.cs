namespace CfManagement.Emulator;

/// <summary>
/// The emulator's permission-group catalogue. Ids quoted in the project's seeds (and the well-known
/// API Tokens / Workers Scripts ids) are the real ones; every other id is made up (derived from an
/// MD5 of scope and name) and stable. Names repeat across scopes ("Workers R2 Storage Read/Write"
/// exist for the account and for R2 buckets): match name AND scope.
/// A "... Read" requirement is also satisfied by the "... Write" group of the same scope.
/// </summary>
public static class PermissionCatalog
{
    public static IReadOnlyList<PermissionGroup> All { get; } =
    [
        new("0cc3a61731504c89b99ec1be78b77aa0", "API Tokens Read", PermissionScopes.User),
        new("686d8bc6dbf344018adf2f6ef6128e8e", "API Tokens Write", PermissionScopes.User),
        new("61b2785379790c6904007dc71904250d", "User Details Read", PermissionScopes.User),
        new("544e83230b56e38b752722106df6f90b", "User Details Write", PermissionScopes.User),
        new("88d71b35ad209e4879b7362d449506ad", "Memberships Read", PermissionScopes.User),
        new("af5db0580710aa9d99ef54eae8ce001f", "Account API Tokens Read", PermissionScopes.Account),
        new("d5eae5d40818355af9e0195a7110e181", "Account API Tokens Write", PermissionScopes.Account),
        new("67c9ff53db6d036375738fb3d963a256", "Account Settings Read", PermissionScopes.Account),
        new("016029e36930449a6d5d0331b782e75a", "Account Settings Write", PermissionScopes.Account),
        new("1a71c399035b4950a1bd1466bbe4f420", "Workers Scripts Read", PermissionScopes.Account),
        new("e086da7e2179491d91ee5f35b3ca210a", "Workers Scripts Write", PermissionScopes.Account),
        new("d434696ce7eacf172bf8094fcced7eec", "Workers KV Storage Read", PermissionScopes.Account),
        new("4d15f9d210f40fa092df19407cff8581", "Workers KV Storage Write", PermissionScopes.Account),
        new("445e45d4219ae86fb8137ae5d6c91922", "Workers R2 Storage Read", PermissionScopes.Account),
        new("b1b91571452267bf261fb9fd9f06153e", "Workers R2 Storage Write", PermissionScopes.Account),
        new("95cf73f44aee58aec14d68352e69d7c4", "Workers Tail Read", PermissionScopes.Account),
        new("34dbbe8a3631eb28dc93b503d9dcad26", "D1 Read", PermissionScopes.Account),
        new("28c035597a0e0413764d43b65d782f88", "D1 Write", PermissionScopes.Account),
        new("69cc6647112425806d1dc79cf44ea618", "Pages Read", PermissionScopes.Account),
        new("df4cc44da5d94eae821f1737b179f93f", "Pages Write", PermissionScopes.Account),
        new("e3a5030ae87f532cc413f3a49b8f9de9", "Access: Service Tokens Read", PermissionScopes.Account),
        new("28e0475d25442da6ed9fcd575e98d962", "Access: Service Tokens Write", PermissionScopes.Account),
        new("fd145e5402973f2ea6c18e8379484bfd", "Access: Apps and Policies Read", PermissionScopes.Account),
        new("9ba8c1ca6b1a8f061b8407acb54fa49a", "Access: Apps and Policies Write", PermissionScopes.Account),
        new("367ad94743888ad7b9583b2634e6aeaa", "Cloudflare Tunnel Read", PermissionScopes.Account),
        new("352e97faa359b1feed33cb7ccc911647", "Cloudflare Tunnel Write", PermissionScopes.Account),
        new("7d0195baf1fca199df0b840ec575b0cb", "Secrets Store Read", PermissionScopes.Account),
        new("41ee3e991d57de418377981dbe829feb", "Secrets Store Write", PermissionScopes.Account),
        new("079e6fb3d496997ee37ecfa6ac7ece5a", "Account Analytics Read", PermissionScopes.Account),
        new("c8fed203ed3043cba015a93ad1616f1f", "Zone Read", PermissionScopes.Zone),
        new("aa532be6cdf9d88ecbaba9b859a20dba", "Zone Write", PermissionScopes.Zone),
        new("82e64a83756745bbbb1c9c2701bf816b", "DNS Read", PermissionScopes.Zone),
        new("4755a26eedb94da69e1066d98aa820be", "DNS Write", PermissionScopes.Zone),
        new("27c026bd33a5ef47e6a43ed4364096aa", "Zone Settings Read", PermissionScopes.Zone),
        new("0d839337c279f6e04c113a0206c9082a", "Zone Settings Write", PermissionScopes.Zone),
        new("dbc512b354774852af2b5a5f4ba3d470", "Zone WAF Read", PermissionScopes.Zone),
        new("fb6778dc191143babbfaa57993f1d275", "Zone WAF Write", PermissionScopes.Zone),
        new("2c39771e6fc84f3988af2f5aaeb49706", "Bot Management Read", PermissionScopes.Zone),
        new("3b94c49258ec4573b06d51d99b6416c0", "Bot Management Write", PermissionScopes.Zone),
        new("c52a01a2c73abc679db9c769214c5a6d", "SSL and Certificates Read", PermissionScopes.Zone),
        new("c03055bc037c4ea9afb9a9f104b7b721", "SSL and Certificates Write", PermissionScopes.Zone),
        new("62a5b4dcd60bd4d4e8bcda123753d124", "Cache Purge", PermissionScopes.Zone),
        new("c21018eb422e1efed44345bf17228422", "Logs Read", PermissionScopes.Zone),
        new("53b8c00a941d2f0162f4e0b589387dee", "Logs Write", PermissionScopes.Zone),
        new("6eec492f83c44683e1a3ac859d85d7c5", "Firewall Services Read", PermissionScopes.Zone),
        new("74a7bc8f5455d0c20f6c044a6c1dc542", "Firewall Services Write", PermissionScopes.Zone),
        new("8929a5c5b3dcc1db4f206077ed7aea49", "Workers Routes Read", PermissionScopes.Zone),
        new("2d949ba31c88595a2c7488735b8e38c8", "Workers Routes Write", PermissionScopes.Zone),
        new("ce16d6e4b2203706b297237d8b4a925a", "Workers R2 Storage Read", PermissionScopes.R2Bucket),
        new("9c72942a14f8d8dc264a34ea5c6b7b4f", "Workers R2 Storage Write", PermissionScopes.R2Bucket),
    ];

    private static readonly Dictionary<string, PermissionGroup> ById = All.ToDictionary(g => g.Id);

    public static PermissionGroup? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The one group with this name in this scope (throws if absent: catalogue lookups are by constant).</summary>
    public static PermissionGroup Get(string name, string scope) =>
        All.Single(g => g.Name == name && g.Scope == scope);

    /// <summary>Ids that satisfy a requirement for <paramref name="required"/>: itself and, for a Read group, its Write twin.</summary>
    public static IReadOnlyList<string> Satisfying(PermissionGroup required)
    {
        if (!required.Name.EndsWith(" Read", StringComparison.Ordinal))
            return [required.Id];
        var writeName = required.Name[..^" Read".Length] + " Write";
        var write = All.FirstOrDefault(g => g.Name == writeName && g.Scope == required.Scope);
        return write is null ? [required.Id] : [required.Id, write.Id];
    }

    // Groups the emulator's routes require.
    public static PermissionGroup ApiTokensRead => Get("API Tokens Read", PermissionScopes.User);
    public static PermissionGroup ApiTokensWrite => Get("API Tokens Write", PermissionScopes.User);
    public static PermissionGroup UserDetailsRead => Get("User Details Read", PermissionScopes.User);
    public static PermissionGroup AccountApiTokensRead => Get("Account API Tokens Read", PermissionScopes.Account);
    public static PermissionGroup AccountApiTokensWrite => Get("Account API Tokens Write", PermissionScopes.Account);
    public static PermissionGroup AccountSettingsRead => Get("Account Settings Read", PermissionScopes.Account);
    public static PermissionGroup D1Read => Get("D1 Read", PermissionScopes.Account);
    public static PermissionGroup D1Write => Get("D1 Write", PermissionScopes.Account);
    public static PermissionGroup ZoneRead => Get("Zone Read", PermissionScopes.Zone);
    public static PermissionGroup DnsWrite => Get("DNS Write", PermissionScopes.Zone);
    public static PermissionGroup WorkersScriptsRead => Get("Workers Scripts Read", PermissionScopes.Account);
    public static PermissionGroup WorkersScriptsWrite => Get("Workers Scripts Write", PermissionScopes.Account);
    public static PermissionGroup SecretsStoreRead => Get("Secrets Store Read", PermissionScopes.Account);
    public static PermissionGroup SecretsStoreWrite => Get("Secrets Store Write", PermissionScopes.Account);
    public static PermissionGroup PagesRead => Get("Pages Read", PermissionScopes.Account);
    public static PermissionGroup PagesWrite => Get("Pages Write", PermissionScopes.Account);
    public static PermissionGroup AccessServiceTokensRead => Get("Access: Service Tokens Read", PermissionScopes.Account);
    public static PermissionGroup AccessServiceTokensWrite => Get("Access: Service Tokens Write", PermissionScopes.Account);
    public static PermissionGroup AccessAppsRead => Get("Access: Apps and Policies Read", PermissionScopes.Account);
}
