using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.SecretsStore;

/// <summary>
/// Validates Secrets Store bodies against cf-trimmed.json (createSecretObject, patchSecretObject,
/// duplicateSecretObject, store create). Invalid secrets are 400 <see cref="ErrorCodes.SecretsStoreInvalidSecret"/>,
/// invalid stores 400 <see cref="ErrorCodes.SecretsStoreInvalidStore"/>. Messages never quote a value.
/// Name rules are not published beyond "no spaces"; the emulator takes 1-255 of [A-Za-z0-9_-] (chosen).
/// </summary>
internal static partial class SecretsStoreParser
{
    public const int MaxNameLength = 255;
    public const int MaxValueBytes = 65536;
    public const int MaxCommentLength = 1024;

    /// <summary>The scopes enum of the spec's secret objects.</summary>
    public static readonly IReadOnlyList<string> Scopes = ["workers", "ai_gateway", "dex", "access", "containers", "websearch"];

    public sealed record SecretDraft(string Name, string Value, IReadOnlyList<string> Scopes, string? Comment);

    public sealed record SecretPatch(string? Value, IReadOnlyList<string>? Scopes, string? Comment, bool HasComment);

    /// <summary>One entry of the create array: {name, value, scopes[], comment?}.</summary>
    public static SecretDraft ParseCreate(JsonNode? node, int index)
    {
        var at = $"[{index}]";
        if (node is not JsonObject body)
            throw Invalid($"{at} must be an object {{name, value, scopes, comment?}}");
        var name = String(body, "name", at) ?? throw Invalid($"{at}.name is required");
        ValidateName(name, at);
        var value = String(body, "value", at) ?? throw Invalid($"{at} ({name}): value is required");
        ValidateValue(value, $"{at} ({name})");
        var scopes = ParseScopes(body, at) ?? throw Invalid($"{at} ({name}): scopes is required (one or more of {string.Join(", ", Scopes)})");
        var comment = Comment(body, at);
        return new SecretDraft(name, value, scopes, comment);
    }

    /// <summary>PATCH {value?, scopes?, comment?}: at least one of them.</summary>
    public static SecretPatch ParsePatch(JsonObject body)
    {
        var value = String(body, "value", "body");
        if (value is not null)
            ValidateValue(value, "body");
        var scopes = ParseScopes(body, "body");
        var hasComment = body.ContainsKey("comment");
        var comment = Comment(body, "body");
        if (value is null && scopes is null && !hasComment)
            throw Invalid("nothing to change: send value, scopes or comment");
        return new SecretPatch(value, scopes, comment, hasComment);
    }

    /// <summary>POST .../duplicate {name, scopes, comment?}.</summary>
    public static (string Name, IReadOnlyList<string> Scopes, string? Comment) ParseDuplicate(JsonObject body)
    {
        var name = String(body, "name", "body") ?? throw Invalid("name is required");
        ValidateName(name, "body");
        var scopes = ParseScopes(body, "body") ?? throw Invalid("scopes is required");
        return (name, scopes, Comment(body, "body"));
    }

    /// <summary>POST stores {name}: 1-255 of [A-Za-z0-9_-].</summary>
    public static string ParseStoreName(JsonObject body)
    {
        var name = body["name"] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
            throw ApiException.BadRequest(ErrorCodes.SecretsStoreInvalidStore,
                $"name is required: 1 to {MaxNameLength} letters, digits, '_' or '-'");
        return name;
    }

    public static void ValidateName(string name, string at)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
            throw Invalid($"{at}.name '{Printable(name)}' is not valid: 1 to {MaxNameLength} letters, digits, '_' or '-' (no spaces)");
    }

    public static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.SecretsStoreInvalidSecret, message);

    private static void ValidateValue(string value, string at)
    {
        if (value.Length == 0)
            throw Invalid($"{at}: value must not be empty");
        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
            throw Invalid($"{at}: value is longer than {MaxValueBytes} bytes");
    }

    private static IReadOnlyList<string>? ParseScopes(JsonObject body, string at)
    {
        if (!body.TryGetPropertyValue("scopes", out var node) || node is null)
            return null;
        if (node is not JsonArray array || array.Count == 0)
            throw Invalid($"{at}.scopes must be a non-empty array of: {string.Join(", ", Scopes)}");
        var scopes = new List<string>();
        foreach (var item in array)
        {
            var scope = item is not null && item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : null;
            if (scope is null || !Scopes.Contains(scope))
                throw Invalid($"{at}.scopes: '{Printable(scope ?? item?.ToJsonString() ?? "null")}' is not one of: {string.Join(", ", Scopes)}");
            if (!scopes.Contains(scope))
                scopes.Add(scope);
        }
        return scopes;
    }

    private static string? Comment(JsonObject body, string at)
    {
        var comment = String(body, "comment", at);
        if (comment is not null && comment.Length > MaxCommentLength)
            throw Invalid($"{at}.comment is longer than {MaxCommentLength} characters");
        return comment;
    }

    private static string? String(JsonObject body, string property, string at) => body[property] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw Invalid($"{at}.{property} must be a string"),
    };

    // Names are echoed in messages; keep them short and single-line.
    private static string Printable(string text) => (text.Length > 64 ? text[..64] + "..." : text).ReplaceLineEndings(" ");

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
