using CfManagement.Emulator.Auth;
using CfManagement.Emulator.D1;
using CfManagement.Emulator.Pages;
using CfManagement.Emulator.RateLimit;
using CfManagement.Emulator.SecretsStore;
using CfManagement.Emulator.Seed;
using CfManagement.Emulator.Tokens;
using CfManagement.Emulator.Workers;

namespace CfManagement.Emulator;

/// <summary>
/// All emulated data: the account, users, zones, tokens, D1 databases and Worker scripts. Thread-safe: every
/// member takes <see cref="Gate"/>, and the request pipeline holds it while a handler runs.
/// Seeding methods bypass quotas and grant limits (they are fixtures, like a DB insert).
/// </summary>
public sealed class EmulatorState
{
    private readonly EmulatorOptions _options;
    private readonly Dictionary<string, EmulatorUser> _users = new();
    private readonly List<EmulatorZone> _zones = new();
    private readonly Dictionary<string, Token> _tokensById = new();
    private readonly Dictionary<string, Token> _tokensByValue = new(StringComparer.Ordinal);
    private long _sequence;

    internal object Gate { get; } = new();
    internal D1Store D1 { get; } = new();
    internal WorkerStore Workers { get; }
    internal SecretsStoreRegistry SecretsStore { get; } = new();
    internal PagesStore Pages { get; } = new();
    internal WorkersDevSubdomains WorkersDev { get; } = new();
    internal RateLimiter RateLimiter { get; }
    internal Tail.TailStore Tails { get; }
    internal Access.AccessStore Access { get; } = new();
    internal TimeProvider Clock => _options.Clock;
    internal DateTimeOffset Now => _options.Clock.GetUtcNow();

    public EmulatorState(EmulatorOptions options)
    {
        _options = options;
        RateLimiter = new RateLimiter(options);
        Workers = new WorkerStore(options.WorkerSecretsBulkLimit);
        Tails = new Tail.TailStore(options);
        Seed = new SeedIds();
        Reset();
    }

    public string AccountId => _options.AccountId;
    public string AccountName => _options.AccountName;
    public SeedIds Seed { get; }

    // Shortcuts to the most used seed values.
    public string AdminUserEmail => Seed.AdminUserEmail;
    public string AdminUserId => Seed.AdminUserId;
    public string AdminTokenValue => Seed.AdminTokenValue;
    public string AdminTokenId => Seed.AdminTokenId;
    public string AccountTokenValue => Seed.AccountTokenValue;
    public string AccountTokenId => Seed.AccountTokenId;
    public string OpsUserEmail => Seed.OpsUserEmail;
    public string OpsUserId => Seed.OpsUserId;
    public string OpsTokenValue => Seed.OpsTokenValue;
    public string OpsTokenId => Seed.OpsTokenId;

    /// <summary>Drops everything (tokens, users, zones, D1 databases, Worker scripts and secrets, rate-limit counters) and re-applies the seed.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            _users.Clear();
            _zones.Clear();
            _tokensById.Clear();
            _tokensByValue.Clear();
            D1.Clear();
            Workers.Clear(_options.WorkerSecretsBulkLimit);
            SecretsStore.Clear();
            Pages.Clear();
            WorkersDev.Clear(WorkersDevSubdomainRoutes.DefaultSubdomain(AccountName));
            RateLimiter.Clear();
            Tails.Clear();
            Access.Clear();
            Seeder.Apply(this, Seed, Now);
        }
    }

    // ---------------- users and zones ----------------

    /// <summary>Adds an account member; returns its user id.</summary>
    public string AddUser(string email, bool superAdmin, IEnumerable<string>? grantablePermissionGroupIds = null)
    {
        var id = Ids.NewHexId();
        AddUserCore(id, email, superAdmin, grantablePermissionGroupIds ?? []);
        return id;
    }

    internal void AddUserCore(string id, string email, bool superAdmin, IEnumerable<string> grantable)
    {
        lock (Gate)
        {
            if (_users.Values.Any(u => u.Email.Equals(email, StringComparison.OrdinalIgnoreCase)))
                throw new InvalidOperationException($"User {email} already exists.");
            _users[id] = new EmulatorUser(id, email, superAdmin, grantable.ToHashSet(), Now);
        }
    }

    /// <summary>Adds a zone to the account; returns its id.</summary>
    public string AddZone(string name, string? id = null)
    {
        id ??= Ids.NewHexId();
        if (!Ids.IsHexId(id))
            throw new ArgumentException("Zone id must be 32 lowercase hex characters.", nameof(id));
        lock (Gate)
        {
            _zones.Add(new EmulatorZone(id, name, AccountId, Now));
            return id;
        }
    }

    public IReadOnlyList<EmulatorUser> Users { get { lock (Gate) return _users.Values.ToList(); } }
    public IReadOnlyList<EmulatorZone> Zones { get { lock (Gate) return _zones.ToList(); } }

    internal EmulatorUser? FindUser(string? id) => id is null ? null : _users.GetValueOrDefault(id);
    internal EmulatorZone? FindZone(string id) => _zones.FirstOrDefault(z => z.Id == id);

    private EmulatorUser UserByEmail(string email) =>
        _users.Values.FirstOrDefault(u => u.Email.Equals(email, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No user {email}.", nameof(email));

    // ---------------- Worker scripts ----------------

    /// <summary>Adds a Worker script without secrets (throws if the name is taken).</summary>
    public void AddWorkerScript(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A Worker script needs a name.", nameof(name));
        lock (Gate)
            Workers.Add(name, Now);
    }

    /// <summary>Script names, in creation order.</summary>
    public IReadOnlyList<string> WorkerScripts { get { lock (Gate) return Workers.All.Select(s => s.Name).ToList(); } }

    /// <summary>The script's secret names, ordinal order (throws for an unknown script).</summary>
    public IReadOnlyList<string> WorkerSecretNames(string script)
    {
        lock (Gate)
            return ScriptOrThrow(script).SecretNames;
    }

    /// <summary>
    /// For test assertions only (the API never returns secret text): the secret's current text, or null
    /// when the script has no such secret (throws for an unknown script).
    /// </summary>
    public string? WorkerSecretText(string script, string secretName)
    {
        lock (Gate)
            return ScriptOrThrow(script).SecretText(secretName);
    }

    /// <summary>The script's version ids, oldest first (throws for an unknown script).</summary>
    public IReadOnlyList<string> WorkerVersionIds(string script)
    {
        lock (Gate)
            return ScriptOrThrow(script).Versions.Select(v => v.Id).ToList();
    }

    /// <summary>The deployment serving traffic: version id → percentage (throws for an unknown script).</summary>
    public IReadOnlyDictionary<string, double> WorkerDeployedVersions(string script)
    {
        lock (Gate)
            return ScriptOrThrow(script).CurrentDeployment?.Versions.ToDictionary(v => v.VersionId, v => v.Percentage) ?? [];
    }

    /// <summary>
    /// Test set-up: a new version copied from the latest (code, bindings, secrets), deployed at 100% or, by default, not
    /// deployed at all, which makes secret edits answer 10215 and /settings 10214. Returns its id.
    /// </summary>
    public string AddWorkerVersion(string script, bool deploy = false)
    {
        lock (Gate)
            return Workers.AddCopyOfLatest(ScriptOrThrow(script), deploy, Now).Id;
    }

    private WorkerScript ScriptOrThrow(string name) =>
        Workers.Find(name) ?? throw new ArgumentException($"No Worker script {name}.", nameof(name));

    // ---------------- tokens: seeding API ----------------

    /// <summary>
    /// Seeds a user-owned token. Without <paramref name="resources"/>, each group gets its natural
    /// resource (user → this user, account → the account, zone → all zones, R2 → all buckets);
    /// with it, one allow policy holds every group on those resources.
    /// </summary>
    public (string Id, string Value) AddUserToken(string userEmail, string name, IEnumerable<string> permissionGroupIds,
        IDictionary<string, string>? resources = null, DateTimeOffset? expiresOn = null, string status = TokenStatuses.Active,
        bool legacyFormat = false, DateTimeOffset? notBefore = null)
    {
        lock (Gate)
        {
            var user = UserByEmail(userEmail);
            var policies = BuildPolicies(user.Id, permissionGroupIds, resources);
            var token = InsertToken(TokenOwnerKind.User, user.Id, name, policies, expiresOn, notBefore, status, legacyFormat);
            return (token.Id, token.Value);
        }
    }

    /// <summary>Seeds an account-owned token created by <paramref name="createdByEmail"/> (null: by an account token).</summary>
    public (string Id, string Value) AddAccountToken(string? createdByEmail, string name, IEnumerable<string> permissionGroupIds,
        IDictionary<string, string>? resources = null, DateTimeOffset? expiresOn = null, string status = TokenStatuses.Active,
        bool legacyFormat = false, DateTimeOffset? notBefore = null)
    {
        lock (Gate)
        {
            var creator = createdByEmail is null ? null : UserByEmail(createdByEmail);
            var policies = BuildPolicies(null, permissionGroupIds, resources);
            var token = InsertToken(TokenOwnerKind.Account, creator?.Id, name, policies, expiresOn, notBefore, status, legacyFormat);
            return (token.Id, token.Value);
        }
    }

    /// <summary>
    /// Id of the permission group with this name (and scope, needed when the name exists in several
    /// scopes, e.g. "Workers R2 Storage Write"; see <see cref="PermissionScopes"/>).
    /// </summary>
    public string PermissionGroupId(string name, string? scope = null)
    {
        var matches = PermissionCatalog.All.Where(g => g.Name == name && (scope is null || g.Scope == scope)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new ArgumentException($"No permission group named '{name}'{(scope is null ? "" : " in " + scope)}.", nameof(name)),
            _ => throw new ArgumentException($"'{name}' exists in several scopes ({string.Join(", ", matches.Select(m => m.Scope))}); pass a scope.", nameof(scope)),
        };
    }

    /// <summary>Permission group ids held by the seeded admin token "admin-manager".</summary>
    public IReadOnlyList<string> AdminTokenPermissionGroupIds => GroupIdsOf(Seed.AdminTokenId);

    /// <summary>Permission group ids held by the seeded account token "account-manager".</summary>
    public IReadOnlyList<string> AccountTokenPermissionGroupIds => GroupIdsOf(Seed.AccountTokenId);

    private IReadOnlyList<string> GroupIdsOf(string tokenId)
    {
        lock (Gate)
            return _tokensById.TryGetValue(tokenId, out var token)
                ? token.Policies.SelectMany(p => p.PermissionGroupIds).Distinct().ToList()
                : [];
    }

    /// <summary>Deletes a token as the dashboard's "Delete" does: its value stops working at once. False if unknown.</summary>
    public bool RevokeToken(string id)
    {
        lock (Gate)
        {
            if (!_tokensById.TryGetValue(id, out var token))
                return false;
            RemoveToken(token);
            return true;
        }
    }

    /// <summary>Sets a token's stored status (active, disabled, expired or "revoked (exposed)", as secret scanning does).</summary>
    public void SetTokenStatus(string id, string status)
    {
        if (!TokenStatuses.All.Contains(status))
            throw new ArgumentException($"Unknown status '{status}'.", nameof(status));
        lock (Gate)
        {
            var token = _tokensById.GetValueOrDefault(id) ?? throw new ArgumentException($"No token {id}.", nameof(id));
            token.Status = status;
            token.ModifiedOn = Now;
        }
    }

    public TokenSnapshot? GetToken(string id)
    {
        lock (Gate)
            return _tokensById.TryGetValue(id, out var token) ? SnapshotOf(token) : null;
    }

    public IReadOnlyList<TokenSnapshot> AllTokens
    {
        get { lock (Gate) return _tokensById.Values.OrderBy(t => t.Sequence).Select(SnapshotOf).ToList(); }
    }

    /// <summary>Whether this value currently authenticates (exists, active, within not_before/expires_on).</summary>
    public bool IsValueLive(string value)
    {
        lock (Gate)
            return _tokensByValue.TryGetValue(value, out var token) && token.IsUsable(Now);
    }

    // ---------------- tokens: internal API used by the routes ----------------

    internal IEnumerable<Token> Tokens => _tokensById.Values.OrderBy(t => t.Sequence);
    internal Token? FindTokenById(string id) => _tokensById.GetValueOrDefault(id);
    internal Token? FindTokenByValue(string value) => _tokensByValue.GetValueOrDefault(value);

    internal TokenSnapshot SnapshotOf(Token token) =>
        token.Snapshot(Now, FindUser(token.OwnerUserId)?.Email, FindUser(token.CreatedByUserId)?.Email);

    internal int CountUserTokens(string userId) => _tokensById.Values.Count(t => t.Owner == TokenOwnerKind.User && t.OwnerUserId == userId);
    internal int CountAccountTokens(string accountId) => _tokensById.Values.Count(t => t.Owner == TokenOwnerKind.Account && t.AccountId == accountId);

    internal Token InsertToken(TokenOwnerKind owner, string? userId, string name, IReadOnlyList<Policy> policies,
        DateTimeOffset? expiresOn, DateTimeOffset? notBefore, string status, bool legacy, string? id = null, string? value = null,
        TokenCondition? condition = null)
    {
        lock (Gate)
        {
            var now = Now;
            value ??= legacy ? Ids.NewLegacyTokenValue()
                : owner == TokenOwnerKind.User ? Ids.NewUserTokenValue() : Ids.NewAccountTokenValue();
            var token = new Token
            {
                Id = id ?? Ids.NewHexId(),
                Owner = owner,
                OwnerUserId = owner == TokenOwnerKind.User ? userId : null,
                AccountId = owner == TokenOwnerKind.Account ? AccountId : null,
                CreatedByUserId = owner == TokenOwnerKind.Account ? userId : null,
                Sequence = ++_sequence,
                IssuedOn = now,
                ModifiedOn = now,
                Name = name,
                Value = value,
                IsLegacyFormat = legacy,
                Status = status,
                ExpiresOn = expiresOn,
                NotBefore = notBefore,
                Policies = policies,
                Condition = condition,
            };
            _tokensById.Add(token.Id, token);
            _tokensByValue.Add(token.Value, token);
            return token;
        }
    }

    /// <summary>Gives the token a new value in the prefixed format; the old value stops working at once.</summary>
    internal string RollToken(Token token)
    {
        lock (Gate)
        {
            _tokensByValue.Remove(token.Value);
            token.Value = token.Owner == TokenOwnerKind.User ? Ids.NewUserTokenValue() : Ids.NewAccountTokenValue();
            token.IsLegacyFormat = false;
            token.ModifiedOn = Now;
            _tokensByValue.Add(token.Value, token);
            return token.Value;
        }
    }

    internal void RemoveToken(Token token)
    {
        lock (Gate)
        {
            _tokensById.Remove(token.Id);
            _tokensByValue.Remove(token.Value);
        }
    }

    /// <summary>Builds seed policies: one per group scope with its natural resource, or one policy on the given resources.</summary>
    internal IReadOnlyList<Policy> BuildPolicies(string? userId, IEnumerable<string> groupIds, IDictionary<string, string>? resources)
    {
        var groups = groupIds.Select(id => PermissionCatalog.Find(id) ?? throw new ArgumentException($"Unknown permission group {id}.")).ToList();
        if (resources is not null)
            return [new Policy(Ids.NewHexId(), "allow", groups.Select(g => new PolicyGroupRef(g.Id)).ToList(), new Dictionary<string, string>(resources))];

        var policies = new List<Policy>();
        foreach (var byScope in groups.GroupBy(g => g.Scope))
        {
            var key = byScope.Key switch
            {
                PermissionScopes.User => ResourceKeys.User(userId ?? throw new ArgumentException("User-scoped groups need a user token.")),
                PermissionScopes.Account => ResourceKeys.Account(AccountId),
                PermissionScopes.Zone => ResourceKeys.AllZones,
                _ => ResourceKeys.R2BucketPrefix + "*",
            };
            policies.Add(new Policy(Ids.NewHexId(), "allow", byScope.Select(g => new PolicyGroupRef(g.Id)).ToList(),
                new Dictionary<string, string> { [key] = "*" }));
        }
        return policies;
    }

    // ---------------- Secrets Store ----------------

    /// <summary>Store names, in creation order (the seed has one: default_secrets_store).</summary>
    public IReadOnlyList<string> SecretsStoreNames { get { lock (Gate) return SecretsStore.Stores.Select(s => s.Name).ToList(); } }

    /// <summary>The id of the store with this name (throws when there is none).</summary>
    public string SecretsStoreId(string storeName)
    {
        lock (Gate)
            return (SecretsStore.FindByName(storeName) ?? throw new ArgumentException($"No Secrets Store {storeName}.", nameof(storeName))).Id;
    }

    /// <summary>The store's secret names, ordinal order (throws for an unknown store).</summary>
    public IReadOnlyList<string> SecretsStoreSecretNames(string storeName)
    {
        lock (Gate)
            return (SecretsStore.FindByName(storeName) ?? throw new ArgumentException($"No Secrets Store {storeName}.", nameof(storeName)))
                .Secrets.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// For test assertions only (the API never returns values): the secret's current value, or null when the store
    /// has no such secret (throws for an unknown store).
    /// </summary>
    public string? SecretsStoreSecretValue(string storeName, string secretName)
    {
        lock (Gate)
            return (SecretsStore.FindByName(storeName) ?? throw new ArgumentException($"No Secrets Store {storeName}.", nameof(storeName)))
                .FindSecretByName(secretName)?.Value;
    }

    /// <summary>For test assertions only: the secret's scopes and comment (null when absent).</summary>
    public (IReadOnlyList<string> Scopes, string? Comment)? SecretsStoreSecretMetadata(string storeName, string secretName)
    {
        lock (Gate)
        {
            var secret = (SecretsStore.FindByName(storeName) ?? throw new ArgumentException($"No Secrets Store {storeName}.", nameof(storeName)))
                .FindSecretByName(secretName);
            return secret is null ? null : (secret.Scopes.ToList(), secret.Comment);
        }
    }
    // ---------------- Pages projects ----------------

    /// <summary>Adds a direct-upload Pages project (throws if the name is taken).</summary>
    public void AddPagesProject(string name, string productionBranch = "main")
    {
        PagesProjectParser.ValidateProjectName(name);
        lock (Gate)
            Pages.Add(name, productionBranch, Now);
    }

    /// <summary>Project names, in creation order.</summary>
    public IReadOnlyList<string> PagesProjects { get { lock (Gate) return Pages.All.Select(p => p.Name).ToList(); } }

    /// <summary>
    /// For test assertions only (the API never returns a secret_text value): the variable's type and value in
    /// production or preview, or null when the environment has no such variable (throws for an unknown project).
    /// </summary>
    public (string Type, string Value)? PagesEnvVarOf(string project, string environment, string name)
    {
        lock (Gate)
        {
            var found = Pages.Find(project) ?? throw new ArgumentException($"No Pages project {project}.", nameof(project));
            return found.Environment(environment).EnvVars.TryGetValue(name, out var variable) ? (variable.Type, variable.Value) : null;
        }
    }

    /// <summary>The environment's variable names, ordinal order (throws for an unknown project).</summary>
    public IReadOnlyList<string> PagesEnvVarNames(string project, string environment)
    {
        lock (Gate)
            return (Pages.Find(project) ?? throw new ArgumentException($"No Pages project {project}.", nameof(project)))
                .Environment(environment).EnvVars.Keys.ToList();
    }

    // ---------------- Access ----------------

    /// <summary>Ids of the account's Access service tokens, in creation order.</summary>
    public IReadOnlyList<string> AccessServiceTokenIds { get { lock (Gate) return Access.Tokens.Select(t => t.Id).ToList(); } }

    /// <summary>Names of the account's Access service tokens, in creation order.</summary>
    public IReadOnlyList<string> AccessServiceTokenNames { get { lock (Gate) return Access.Tokens.Select(t => t.Name).ToList(); } }

    /// <summary>
    /// For test assertions only: whether this client id and secret authenticate now, as the protected origin checks them
    /// (a token of the account, enabled, not expired, the current secret or the previous one within its grace window).
    /// </summary>
    public bool IsAccessServiceTokenSecretLive(string clientId, string secret)
    {
        lock (Gate)
        {
            var token = Access.FindTokenByClientId(clientId);
            return token is not null && token.Enabled && !token.IsExpired(Now) && token.Match(secret, Now) != Emulator.Access.SecretMatch.None;
        }
    }

    /// <summary>
    /// Test set-up: a self-hosted Access application protecting <paramref name="domain"/> ("host" or "host/path") with one
    /// Service Auth (non_identity) policy including these service token ids, or any valid service token when none are
    /// given. Served at <see cref="CloudflareEmulator.AccessOriginUri"/> + host/path. Returns its id and aud.
    /// </summary>
    public (string Id, string Aud) AddAccessApplication(string domain, params string[] serviceTokenIds)
    {
        lock (Gate)
        {
            if (serviceTokenIds.FirstOrDefault(id => Access.FindToken(id) is null) is { } unknown)
                throw new ArgumentException($"No Access service token {unknown}.", nameof(serviceTokenIds));
            var rules = serviceTokenIds.Length == 0
                ? [new Emulator.Access.AccessRule(Emulator.Access.AccessRule.AnyValidServiceTokenKind, null)]
                : serviceTokenIds.Select(id => new Emulator.Access.AccessRule(Emulator.Access.AccessRule.ServiceTokenKind, id)).ToList();
            var policy = new Emulator.Access.AccessPolicy(Guid.NewGuid().ToString(), "service auth", Emulator.Access.AccessPolicy.NonIdentity, 1,
                rules, [], [], Now);
            var app = new Emulator.Access.AccessApplication
            {
                Id = Guid.NewGuid().ToString(),
                Aud = Emulator.Access.AccessApplication.NewAud(),
                Name = domain,
                Domain = domain,
                Type = "self_hosted",
                SessionDuration = "24h",
                CreatedAt = Now,
                UpdatedAt = Now,
                Policies = [policy],
            };
            Access.AddApp(app);
            return (app.Id, app.Aud);
        }
    }
}
