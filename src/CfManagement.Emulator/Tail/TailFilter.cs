using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// The filters of one tail, parsed from the POST body's "filters" array and applied server-side to every event.
/// Each filter object has one key: sampling_rate (0..1], outcome [..], method [..], header {key, query?},
/// client_ip [.., "self"], query (text searched in log and exception messages), scriptVersion (a version id).
/// All present filters must match. method, header and client_ip match request events only.
/// </summary>
internal sealed class TailFilter
{
    private static readonly HashSet<string> Outcomes = ["ok", "canceled", "exception", "exceededCpu", "exceededMemory", "unknown"];

    public double SamplingRate { get; private init; } = 1.0;
    public IReadOnlyList<string>? Outcome { get; private init; }
    public IReadOnlyList<string>? Method { get; private init; }
    public string? HeaderKey { get; private init; }
    public string? HeaderQuery { get; private init; }
    public IReadOnlyList<string>? ClientIp { get; private init; }
    public string? Query { get; private init; }
    public string? ScriptVersion { get; private init; }
    /// <summary>The filters as the client sent them (shown by GET tails on the admin side).</summary>
    public JsonArray Raw { get; private init; } = [];

    /// <summary>Parses the body; <paramref name="callerIp"/> replaces "self" in client_ip. Bad filters: 400 1100 naming the filter.</summary>
    public static TailFilter Parse(JsonObject body, string callerIp)
    {
        var filters = body["filters"];
        if (filters is null)
            return new TailFilter();
        if (filters is not JsonArray array)
            throw Invalid("filters must be an array");

        double sampling = 1.0;
        List<string>? outcome = null, method = null, clientIp = null;
        string? headerKey = null, headerQuery = null, query = null, version = null;
        foreach (var item in array)
        {
            if (item is not JsonObject filter || filter.Count != 1)
                throw Invalid("each filter must be an object with one key");
            var (key, value) = filter.First();
            switch (key)
            {
                case "sampling_rate":
                    sampling = value is JsonValue v && v.TryGetValue<double>(out var rate) && rate > 0 && rate <= 1
                        ? rate : throw Invalid("sampling_rate must be a number in (0, 1]");
                    break;
                case "outcome":
                    outcome = Strings(value, key);
                    if (outcome.FirstOrDefault(o => !Outcomes.Contains(o)) is { } bad)
                        throw Invalid($"unknown outcome '{bad}'");
                    break;
                case "method":
                    method = Strings(value, key).Select(m => m.ToUpperInvariant()).ToList();
                    break;
                case "client_ip":
                    clientIp = Strings(value, key).Select(ip => ip == "self" ? callerIp : ip).ToList();
                    break;
                case "header":
                    if (value is not JsonObject header || header["key"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                        throw Invalid("header must be {key, query?}");
                    headerKey = header["key"]!.GetValue<string>();
                    headerQuery = header["query"] is JsonValue q && q.TryGetValue<string>(out var text) ? text : null;
                    break;
                case "query":
                    query = value is JsonValue qv && qv.TryGetValue<string>(out var s) ? s : throw Invalid("query must be a string");
                    break;
                case "scriptVersion":
                    version = value is JsonValue sv && sv.TryGetValue<string>(out var id) ? id : throw Invalid("scriptVersion must be a string");
                    break;
                default:
                    throw Invalid($"unknown filter '{key}'");
            }
        }
        return new TailFilter
        {
            SamplingRate = sampling, Outcome = outcome, Method = method, ClientIp = clientIp,
            HeaderKey = headerKey, HeaderQuery = headerQuery, Query = query, ScriptVersion = version,
            Raw = (JsonArray)array.DeepClone(),
        };
    }

    /// <summary>Whether the event passes every filter except sampling (which needs the tail's random source).</summary>
    public bool Matches(TailEvent e)
    {
        if (Outcome is not null && !Outcome.Contains(e.Outcome))
            return false;
        if (ScriptVersion is not null && e.ScriptVersionId != ScriptVersion)
            return false;
        if (Method is not null && (e.Method is null || !Method.Contains(e.Method)))
            return false;
        if (ClientIp is not null && (e.ClientIp is null || !ClientIp.Contains(e.ClientIp)))
            return false;
        if (HeaderKey is not null)
        {
            if (e.Headers is null || !e.Headers.TryGetValue(HeaderKey, out var value))
                return false;
            if (HeaderQuery is not null && !string.Equals(value, HeaderQuery, StringComparison.Ordinal))
                return false;
        }
        if (Query is not null && !e.Messages.Any(m => m.Contains(Query, StringComparison.Ordinal)))
            return false;
        return true;
    }

    private static List<string> Strings(JsonNode? value, string key) =>
        value is JsonArray array && array.All(n => n?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            ? array.Select(n => n!.GetValue<string>()).ToList()
            : throw Invalid($"{key} must be an array of strings");

    private static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.InvalidBody, "Invalid tail filter: " + message);
}
