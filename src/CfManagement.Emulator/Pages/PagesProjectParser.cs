using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Pages;

/// <summary>
/// Validates project bodies (create and PATCH) before anything changes, so a request applies whole or not at all.
/// Every failure is 400 8000000 naming the field; messages never quote a variable's value.
/// </summary>
internal static partial class PagesProjectParser
{
    public const int MaxNameLength = 58;
    public const int MaxEnvVarNameLength = 255;
    public const int MaxEnvVarValueBytes = 5 * 1024;

    private static readonly HashSet<string> BuildConfigKeys =
        ["build_caching", "build_command", "destination_dir", "root_dir", "web_analytics_tag", "web_analytics_token"];

    public static PagesProjectDraft ParseCreate(JsonObject body)
    {
        var name = OptionalString(body, "name");
        ValidateProjectName(name);
        var branch = OptionalString(body, "production_branch");
        if (string.IsNullOrWhiteSpace(branch))
            throw Invalid("production_branch is required and must be a non-empty string");
        return Parse(body, name, branch, existingSource: null);
    }

    public static PagesProjectDraft ParsePatch(JsonObject body, PagesProject project)
    {
        var name = OptionalString(body, "name");
        if (name is not null && name != project.Name)
            throw Invalid("name cannot be changed: a project keeps the name it was created with");
        var branch = OptionalString(body, "production_branch");
        if (branch is not null && string.IsNullOrWhiteSpace(branch))
            throw Invalid("production_branch must be a non-empty string");
        return Parse(body, null, branch, project.Source);
    }

    /// <summary>Lower-case letters, digits and dashes, not starting with a dash, at most 58 characters.</summary>
    public static void ValidateProjectName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw Invalid("name is required and must be a non-empty string");
        if (name.Length > MaxNameLength)
            throw Invalid($"name must be at most {MaxNameLength} characters");
        if (!ProjectNamePattern().IsMatch(name))
            throw Invalid($"name '{name}' is invalid: use lower-case letters, digits and dashes, starting with a letter or digit");
    }

    public static ApiException Invalid(string message) => ApiException.BadRequest(ErrorCodes.PagesInvalidBody, message);

    private static PagesProjectDraft Parse(JsonObject body, string? name, string? branch, JsonObject? existingSource)
    {
        var hasSource = body.ContainsKey("source");
        var source = hasSource ? ParseSource(body["source"], existingSource) : null;
        var buildConfig = body["build_config"] switch
        {
            null => null,
            JsonObject config => ParseBuildConfig(config),
            _ => throw Invalid("build_config must be an object"),
        };
        var environments = new Dictionary<string, PagesEnvironmentDraft>(StringComparer.Ordinal);
        switch (body["deployment_configs"])
        {
            case null:
                break;
            case JsonObject configs:
                foreach (var (environment, config) in configs)
                {
                    if (!PagesEnvironment.Names.Contains(environment))
                        throw Invalid($"deployment_configs.{environment}: the environments are production and preview");
                    if (config is null)
                        continue;
                    if (config is not JsonObject values)
                        throw Invalid($"deployment_configs.{environment} must be an object");
                    environments[environment] = ParseEnvironment(environment, values);
                }
                break;
            default:
                throw Invalid("deployment_configs must be an object");
        }
        return new PagesProjectDraft(name, branch, hasSource, source, buildConfig, environments);
    }

    /// <summary>{type: github|gitlab, config{owner, repo_name, ...}}; a PATCH merges into the existing source.</summary>
    private static JsonObject? ParseSource(JsonNode? node, JsonObject? existing)
    {
        if (node is null)
            return null;
        if (node is not JsonObject source)
            throw Invalid("source must be an object");
        var merged = existing?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (key, value) in source)
        {
            if (key == "config" && value is JsonObject config && merged["config"] is JsonObject oldConfig)
            {
                foreach (var (configKey, configValue) in config)
                    oldConfig[configKey] = configValue?.DeepClone();
            }
            else
                merged[key] = value?.DeepClone();
        }
        var type = OptionalString(merged, "type", "source.type");
        if (type is not ("github" or "gitlab"))
            throw Invalid("source.type must be github or gitlab");
        if (merged["config"] is not JsonObject mergedConfig)
            throw Invalid("source.config is required and must be an object");
        foreach (var required in new[] { "owner", "repo_name" })
            if (string.IsNullOrWhiteSpace(OptionalString(mergedConfig, required, "source.config." + required)))
                throw Invalid($"source.config.{required} is required and must be a non-empty string");
        OptionalString(mergedConfig, "production_branch", "source.config.production_branch");
        return merged;
    }

    private static JsonObject ParseBuildConfig(JsonObject config)
    {
        foreach (var (key, value) in config)
        {
            if (!BuildConfigKeys.Contains(key))
                throw Invalid($"build_config.{key} is not a build setting ({string.Join(", ", BuildConfigKeys)})");
            var expected = key == "build_caching" ? JsonValueKind.True : JsonValueKind.String;
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            var fits = kind == JsonValueKind.Null || kind == expected || (expected == JsonValueKind.True && kind == JsonValueKind.False);
            if (!fits)
                throw Invalid($"build_config.{key} must be {(expected == JsonValueKind.String ? "a string" : "a boolean")} or null");
        }
        return config;
    }

    private static PagesEnvironmentDraft ParseEnvironment(string environment, JsonObject values)
    {
        var settings = new JsonObject();
        var envVars = new Dictionary<string, PagesEnvVar?>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (key != "env_vars")
            {
                if (key == "wrangler_config_hash" && value is not null && value.GetValueKind() != JsonValueKind.String)
                    throw Invalid($"deployment_configs.{environment}.wrangler_config_hash must be a string");
                settings[key] = value?.DeepClone();
                continue;
            }
            switch (value)
            {
                case null:
                    break;
                case JsonObject variables:
                    foreach (var (name, variable) in variables)
                        envVars[name] = ParseEnvVar(environment, name, variable);
                    break;
                default:
                    throw Invalid($"deployment_configs.{environment}.env_vars must be an object");
            }
        }
        return new PagesEnvironmentDraft(settings, envVars);
    }

    private static PagesEnvVar? ParseEnvVar(string environment, string name, JsonNode? variable)
    {
        var where = $"deployment_configs.{environment}.env_vars.{name}";
        if (string.IsNullOrEmpty(name) || name.Length > MaxEnvVarNameLength || !EnvVarNamePattern().IsMatch(name))
            throw Invalid($"{where}: the name must be letters, digits and underscores, not starting with a digit, at most {MaxEnvVarNameLength} characters");
        if (variable is null)
            return null;
        if (variable is not JsonObject entry)
            throw Invalid($"{where} must be an object {{type, value}} or null");
        var type = OptionalString(entry, "type", where + ".type") ?? PagesEnvVar.PlainText;
        if (type is not (PagesEnvVar.PlainText or PagesEnvVar.SecretText))
            throw Invalid($"{where}.type must be {PagesEnvVar.PlainText} or {PagesEnvVar.SecretText}");
        var value = OptionalString(entry, "value", where + ".value")
            ?? throw Invalid($"{where}.value is required and must be a string");
        if (Encoding.UTF8.GetByteCount(value) > MaxEnvVarValueBytes)
            throw Invalid($"{where}.value is larger than {MaxEnvVarValueBytes} bytes");
        return new PagesEnvVar(type, value);
    }

    private static string? OptionalString(JsonObject body, string property, string? label = null) => body[property] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw Invalid($"{label ?? property} must be a string"),
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex ProjectNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvVarNamePattern();
}
