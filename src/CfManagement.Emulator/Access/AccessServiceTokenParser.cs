using System.Globalization;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Access;

/// <summary>
/// Reads service-token bodies. 400 12130 for a bad name (not a string, empty or over <see cref="MaxNameLength"/>), enabled
/// (not a boolean), client_secret_version (not a whole number ≥ 1) or previous_client_secret_expires_at (not RFC 3339);
/// 400 12131 for a bad duration. Unknown members are ignored, as the API ignores them.
/// </summary>
internal static class AccessServiceTokenParser
{
    /// <summary>Chosen: the real limit is not published.</summary>
    public const int MaxNameLength = 350;

    public static AccessServiceTokenDraft Parse(JsonObject body, bool nameRequired)
    {
        string? name = null;
        if (body["name"] is { } nameNode)
        {
            name = nameNode is JsonValue v && v.TryGetValue<string>(out var text) ? text.Trim() : throw Invalid("name must be a string");
            if (name.Length == 0)
                throw Invalid("name must not be empty");
            if (name.Length > MaxNameLength)
                throw Invalid($"name must be at most {MaxNameLength} characters");
        }
        else if (nameRequired)
            throw Invalid("name is required");

        AccessDuration? duration = null;
        if (body["duration"] is { } durationNode)
        {
            var text = durationNode is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
            duration = (text is null ? null : AccessDuration.TryParse(text)) ?? throw ApiException.BadRequest(ErrorCodes.AccessInvalidDuration,
                "duration must be a positive Go duration such as 60m, 24h or 8760h (units ns, us, ms, s, m, h), or \"forever\"");
        }

        bool? enabled = null;
        if (body["enabled"] is { } enabledNode)
            enabled = enabledNode is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Invalid("enabled must be true or false");

        long? version = null;
        if (body["client_secret_version"] is { } versionNode)
        {
            version = versionNode is JsonValue v && v.TryGetValue<double>(out var d) && d >= 1 && d == Math.Floor(d) && d < long.MaxValue
                ? (long)d : throw Invalid("client_secret_version must be a whole number of at least 1");
        }

        return new AccessServiceTokenDraft(name, duration, enabled, version, ParseTime(body, "previous_client_secret_expires_at"));
    }

    /// <summary>An RFC 3339 member, or null when absent (JSON null counts as absent).</summary>
    public static DateTimeOffset? ParseTime(JsonObject body, string member)
    {
        if (body[member] is not { } node)
            return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && text.Contains('T'))
            return time;
        throw Invalid($"{member} must be an RFC 3339 time such as 2026-01-01T00:00:00Z");
    }

    public static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.AccessInvalidRequest, message);
}
