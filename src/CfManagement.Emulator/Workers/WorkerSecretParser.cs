using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Validates secret bodies <c>{"name", "text", "type": "secret_text"}</c>. Every failure is 400 10021
/// (the code Cloudflare uses for invalid bindings; its exact code per case is not public). Messages
/// never quote the text. Only secret_text is emulated (the real API also knows secret_key).
/// </summary>
internal static partial class WorkerSecretParser
{
    public const string SecretTextType = "secret_text";
    public const int MaxNameLength = 255;

    /// <summary>Parses one secret. <paramref name="expectedName"/> (bulk: the map key) must match the body's name when both are given.</summary>
    public static WorkerSecretDraft Parse(JsonObject body, string? expectedName = null)
    {
        var name = OptionalString(body, "name");
        if (expectedName is not null)
        {
            if (name is not null && name != expectedName)
                throw Invalid($"secrets.{expectedName}: name '{name}' does not match its key");
            name = expectedName;
        }
        ValidateName(name);

        var text = OptionalString(body, "text")
            ?? throw Invalid($"secret {name}: text is required and must be a string");
        var type = OptionalString(body, "type");
        if (type != SecretTextType)
            throw Invalid($"secret {name}: type must be '{SecretTextType}'");
        return new WorkerSecretDraft(name!, text);
    }

    /// <summary>Non-empty, at most 255 characters, [A-Za-z_][A-Za-z0-9_]*.</summary>
    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw Invalid("name is required and must be a non-empty string");
        if (name.Length > MaxNameLength)
            throw Invalid($"name must be at most {MaxNameLength} characters");
        if (!NamePattern().IsMatch(name))
            throw Invalid($"name '{name}' is not a valid binding name: use letters, digits and underscores, not starting with a digit");
    }

    public static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.WorkerInvalidBinding, message);

    private static string? OptionalString(JsonObject body, string property) => body[property] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw Invalid($"{property} must be a string"),
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
