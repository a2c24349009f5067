using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Tokens;

/// <summary>
/// Validates a token create (POST) or update (PUT) body the way Cloudflare does; every failure is a
/// 400 with a code from <see cref="ErrorCodes"/> and a message naming the field. Policy ids in the
/// request are ignored (the SDKs send none); fresh ones are assigned.
/// </summary>
internal static partial class TokenRequestParser
{
    public const int MaxNameLength = 120;

    public static TokenDraft Parse(JsonObject body, DateTimeOffset now, bool isUpdate)
    {
        var name = ParseName(body["name"]);
        var policies = ParsePolicies(body["policies"]);
        var condition = ParseCondition(body["condition"]);
        var expiresOn = ParseTime(body["expires_on"], "expires_on", ErrorCodes.InvalidExpiresOn);
        var notBefore = ParseTime(body["not_before"], "not_before", ErrorCodes.InvalidNotBefore);
        if (expiresOn is { } e && notBefore is { } nb && e <= nb)
            throw Bad(ErrorCodes.ExpiresBeforeNotBefore, "expires_on must be later than not_before");
        if (expiresOn is { } expires && expires <= now)
            throw Bad(ErrorCodes.ExpiresInPast, "expires_on must be in the future");
        var status = isUpdate ? ParseStatus(body["status"]) : null;
        return new TokenDraft(name, policies, condition, expiresOn, notBefore, status);
    }

    private static string ParseName(JsonNode? node)
    {
        if (node?.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
            throw Bad(ErrorCodes.NameRequired, "name is required and must be a non-empty string");
        var name = node.GetValue<string>();
        if (name.Length > MaxNameLength)
            throw Bad(ErrorCodes.NameTooLong, $"name must be at most {MaxNameLength} characters");
        return name;
    }

    private static List<Policy> ParsePolicies(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count == 0)
            throw Bad(ErrorCodes.PoliciesRequired, "policies is required and must be a non-empty array");
        var policies = new List<Policy>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject policy)
                throw Bad(ErrorCodes.PoliciesRequired, $"policies[{i}] must be an object");
            var effect = policy["effect"]?.GetValueKind() == JsonValueKind.String ? policy["effect"]!.GetValue<string>() : null;
            if (effect is not ("allow" or "deny"))
                throw Bad(ErrorCodes.InvalidPolicyEffect, $"policies[{i}].effect must be one of: allow, deny");
            policies.Add(new Policy(Ids.NewHexId(), effect, ParseGroups(policy["permission_groups"], i), ParseResources(policy["resources"], i)));
        }
        return policies;
    }

    private static List<PolicyGroupRef> ParseGroups(JsonNode? node, int index)
    {
        var field = $"policies[{index}].permission_groups";
        if (node is not JsonArray array || array.Count == 0)
            throw Bad(ErrorCodes.InvalidPermissionGroup, $"{field} is required and must be a non-empty array");
        var groups = new List<PolicyGroupRef>();
        foreach (var item in array)
        {
            var id = item is JsonObject o && o["id"]?.GetValueKind() == JsonValueKind.String ? o["id"]!.GetValue<string>() : null;
            if (id is null)
                throw Bad(ErrorCodes.InvalidPermissionGroup, $"{field}: each entry needs an id");
            if (!Ids.IsHexId(id))
                throw Bad(ErrorCodes.InvalidPermissionGroup, $"{field}: id must have a length of 32 ('{id}')");
            if (PermissionCatalog.Find(id) is null)
                throw Bad(ErrorCodes.InvalidPermissionGroup, $"{field}: permission group {id} does not exist");
            var meta = ((JsonObject)item!)["meta"];
            if (meta is not (null or JsonObject))
                throw Bad(ErrorCodes.InvalidPermissionGroup, $"{field}: meta must be an object");
            if (groups.All(g => g.Id != id))
                groups.Add(new PolicyGroupRef(id, meta?.ToJsonString()));
        }
        return groups;
    }

    private static Dictionary<string, string> ParseResources(JsonNode? node, int index)
    {
        var field = $"policies[{index}].resources";
        if (node is not JsonObject resources || resources.Count == 0)
            throw Bad(ErrorCodes.InvalidResources, $"{field} is required and must be a non-empty object");
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in resources)
        {
            if (!IsResourceKey(key))
                throw Bad(ErrorCodes.InvalidResources, $"{field}: '{key}' is not a valid resource");
            if (IsStar(value))
            {
                result[key] = "*";
                continue;
            }
            // Nested form: an account key whose value names zones of that account.
            if (value is JsonObject nested && nested.Count > 0 && key.StartsWith(ResourceKeys.AccountPrefix, StringComparison.Ordinal)
                && !key.StartsWith(ResourceKeys.ZonePrefix, StringComparison.Ordinal)
                && nested.All(n => n.Key.StartsWith(ResourceKeys.ZonePrefix, StringComparison.Ordinal) && IsResourceKey(n.Key) && IsStar(n.Value)))
            {
                result[key] = nested.ToJsonString();
                continue;
            }
            throw Bad(ErrorCodes.InvalidResources, $"{field}: value of '{key}' must be \"*\"");
        }
        return result;
    }

    private static bool IsStar(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == "*";

    private static bool IsResourceKey(string key) => ResourceKey().IsMatch(key);

    [GeneratedRegex(@"^(com\.cloudflare\.api\.user\.([0-9a-f]{32}|\*)|com\.cloudflare\.api\.account\.zone\.([0-9a-f]{32}|\*)|com\.cloudflare\.api\.account\.([0-9a-f]{32}|\*)|com\.cloudflare\.edge\.r2\.bucket\.[A-Za-z0-9_.*-]+)$")]
    private static partial Regex ResourceKey();

    private static TokenCondition? ParseCondition(JsonNode? node)
    {
        if (node is null)
            return null;
        if (node is not JsonObject condition)
            throw Bad(ErrorCodes.InvalidCidr, "condition must be an object");
        var requestIp = condition["request_ip"] ?? condition["request.ip"];
        if (requestIp is null)
            return null;
        if (requestIp is not JsonObject ip)
            throw Bad(ErrorCodes.InvalidCidr, "condition.request_ip must be an object");
        var result = new TokenCondition(ParseCidrs(ip["in"], "in"), ParseCidrs(ip["not_in"], "not_in"));
        return result.In.Count == 0 && result.NotIn.Count == 0 ? null : result;
    }

    private static List<string> ParseCidrs(JsonNode? node, string name)
    {
        var field = $"condition.request_ip.{name}";
        if (node is null)
            return [];
        if (node is not JsonArray array)
            throw Bad(ErrorCodes.InvalidCidr, $"{field} must be an array");
        var cidrs = new List<string>();
        foreach (var item in array)
        {
            var text = item?.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item?.ToJsonString() ?? "null";
            if (item?.GetValueKind() != JsonValueKind.String || !Cidr.TryParse(text, out _, out _))
                throw Bad(ErrorCodes.InvalidCidr, $"{field}: '{text}' is not a valid IP address or CIDR");
            cidrs.Add(text);
        }
        return cidrs;
    }

    private static DateTimeOffset? ParseTime(JsonNode? node, string field, int code)
    {
        if (node is null)
            return null;
        if (node.GetValueKind() == JsonValueKind.String && TryParseRfc3339(node.GetValue<string>(), out var value))
            return value;
        throw Bad(code, $"{field} must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z");
    }

    public static bool TryParseRfc3339(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    private static string? ParseStatus(JsonNode? node)
    {
        if (node is null)
            return null;
        if (node.GetValueKind() == JsonValueKind.String && TokenStatuses.All.Contains(node.GetValue<string>()))
            return node.GetValue<string>();
        throw Bad(ErrorCodes.InvalidStatus, "status must be one of: active, disabled, expired");
    }

    private static ApiException Bad(int code, string message) => ApiException.BadRequest(code, message);
}
