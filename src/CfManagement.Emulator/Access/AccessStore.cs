namespace CfManagement.Emulator.Access;

/// <summary>
/// The account's Access service tokens and applications, and what the protected origin saw. Guarded by the emulator
/// state's gate (the API pipeline holds it while a handler runs; the origin and admin endpoints take it briefly).
/// </summary>
internal sealed class AccessStore
{
    private readonly Dictionary<string, AccessServiceToken> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AccessApplication> _apps = new();
    private readonly List<AccessOriginVisit> _visits = new();
    private long _sequence;

    /// <summary>Service tokens in creation order.</summary>
    public IReadOnlyList<AccessServiceToken> Tokens => _tokens.Values.OrderBy(t => t.Sequence).ToList();

    public AccessServiceToken? FindToken(string id) => _tokens.GetValueOrDefault(id);

    public AccessServiceToken? FindTokenByClientId(string clientId) =>
        _tokens.Values.FirstOrDefault(t => string.Equals(t.ClientId, clientId, StringComparison.Ordinal));

    public AccessServiceToken AddToken(string name, AccessDuration duration, bool enabled, DateTimeOffset now)
    {
        var token = new AccessServiceToken
        {
            Id = Guid.NewGuid().ToString(),
            ClientId = AccessServiceToken.NewClientId(),
            Sequence = ++_sequence,
            CreatedAt = now,
            UpdatedAt = now,
            Name = name,
            Duration = duration,
            ExpiresAt = duration.ExpiryFrom(now),
            Enabled = enabled,
            Secret = AccessServiceToken.NewSecret(),
        };
        _tokens.Add(token.Id, token);
        return token;
    }

    public void RemoveToken(AccessServiceToken token) => _tokens.Remove(token.Id);

    /// <summary>Applications in creation order.</summary>
    public IReadOnlyList<AccessApplication> Apps => _apps.ToList();

    public AccessApplication? FindApp(string id) => _apps.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));

    public void AddApp(AccessApplication app) => _apps.Add(app);

    public bool RemoveApp(string id) => _apps.RemoveAll(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>Whether a policy of some application names this token by id (such a token cannot be deleted: 12139).</summary>
    public bool IsNamedByAPolicy(string tokenId) =>
        _apps.Any(a => a.Policies.Any(p => p.NamesToken(tokenId)));

    /// <summary>Requests the protected origin received, oldest first.</summary>
    public IReadOnlyList<AccessOriginVisit> Visits => _visits.ToList();

    public void AddVisit(AccessOriginVisit visit) => _visits.Add(visit);

    public void ClearVisits() => _visits.Clear();

    public void Clear()
    {
        _tokens.Clear();
        _apps.Clear();
        _visits.Clear();
    }
}
