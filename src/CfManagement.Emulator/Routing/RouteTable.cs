namespace CfManagement.Emulator.Routing;

/// <summary>The result of looking up a path: a route and its values, or why none matched.</summary>
internal sealed record RouteMatch(Route? Route, IReadOnlyDictionary<string, string> Values, bool PathExistsForOtherMethod);

/// <summary>
/// Matches relative paths against route templates. Literal segments win over placeholders
/// (so /user/tokens/verify beats /user/tokens/{token_id}). A single trailing slash is ignored.
/// </summary>
internal sealed class RouteTable
{
    private readonly List<Route> _routes = new();

    public void Add(string method, string template, Func<ApiContext, Envelope.ApiResponse> handler,
        bool userTokensOnly = false, bool allowsInactiveToken = false) =>
        _routes.Add(new Route(method, template, handler, userTokensOnly, allowsInactiveToken));

    public RouteMatch Match(string method, string path)
    {
        if (path.Length > 1 && path.EndsWith('/'))
            path = path[..^1];
        var segments = path.Trim('/').Split('/');

        Route? best = null;
        Dictionary<string, string>? bestValues = null;
        var bestLiterals = -1;
        var otherMethod = false;
        foreach (var route in _routes)
        {
            if (!TryMatch(route, segments, out var values, out var literals))
                continue;
            if (!route.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            {
                otherMethod = true;
                continue;
            }
            if (literals > bestLiterals)
                (best, bestValues, bestLiterals) = (route, values, literals);
        }
        // A literal route for another method (PUT /user/tokens/verify) must not fall back to a placeholder route.
        return new RouteMatch(best, bestValues ?? new Dictionary<string, string>(), best is null && otherMethod);
    }

    private static bool TryMatch(Route route, string[] segments, out Dictionary<string, string> values, out int literals)
    {
        values = new Dictionary<string, string>();
        literals = 0;
        if (route.Segments.Length != segments.Length)
            return false;
        for (var i = 0; i < segments.Length; i++)
        {
            var template = route.Segments[i];
            if (template.StartsWith('{'))
            {
                if (segments[i].Length == 0)
                    return false;
                values[template[1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (template == segments[i])
                literals++;
            else
                return false;
        }
        return true;
    }
}
