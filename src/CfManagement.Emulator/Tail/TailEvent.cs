using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Tail;

/// <summary>
/// One trace-v1 event: its JSON as sent on the socket (UTF-8), plus the fields the server-side filters look at.
/// </summary>
internal sealed record TailEvent(byte[] Json, string Outcome, string? Method, string? ClientIp,
    IReadOnlyDictionary<string, string>? Headers, IReadOnlyList<string> Messages, string? ScriptVersionId)
{
    /// <summary>An event given verbatim by a test (POST /__emulator/tails/events): filter fields read from its JSON.</summary>
    public static TailEvent FromJson(JsonObject e)
    {
        var request = e["event"]?["request"] as JsonObject;
        var headers = (request?["headers"] as JsonObject)?
            .ToDictionary(h => h.Key, h => h.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase);
        var messages = new List<string>();
        foreach (var log in e["logs"] as JsonArray ?? [])
            foreach (var part in log?["message"] as JsonArray ?? [])
                messages.Add(part?.ToString() ?? "");
        foreach (var ex in e["exceptions"] as JsonArray ?? [])
            messages.Add(ex?["message"]?.ToString() ?? "");
        return new TailEvent(System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()),
            e["outcome"]?.ToString() ?? "unknown", request?["method"]?.ToString()?.ToUpperInvariant(),
            headers?.GetValueOrDefault("cf-connecting-ip"), headers, messages, e["scriptVersion"]?["id"]?.ToString());
    }
}
