using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfManagement.Json
{
    /// <summary>
    /// Compile-time JSON metadata for the wire shapes the API clients read and write. Without it, the first call in a
    /// process built the metadata by reflection (~150 ms before Connect-CfAccount's verify could be decoded); the
    /// settings mirror <see cref="CloudflareJson.Options"/>, which falls back to reflection for any other type.
    /// </summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(WireEnvelope))]
    [JsonSerializable(typeof(WireEnvelope<WireVerify>))]
    [JsonSerializable(typeof(WireEnvelope<WireToken>))]
    [JsonSerializable(typeof(WireEnvelope<List<WireToken>>))]
    [JsonSerializable(typeof(WireEnvelope<WireCreatedToken>))]
    [JsonSerializable(typeof(WireEnvelope<WireAccount>))]
    [JsonSerializable(typeof(WireEnvelope<List<WireAccount>>))]
    [JsonSerializable(typeof(WireEnvelope<List<WirePermissionGroup>>))]
    [JsonSerializable(typeof(WireEnvelope<WireZone>))]
    [JsonSerializable(typeof(WireEnvelope<List<WireZone>>))]
    [JsonSerializable(typeof(WireEnvelope<WireUser>))]
    [JsonSerializable(typeof(WireEnvelope<WireSecretBinding>))]
    [JsonSerializable(typeof(WireEnvelope<List<WireSecretBinding>>))]
    [JsonSerializable(typeof(WireEnvelope<string>))]
    [JsonSerializable(typeof(WireEnvelope<object>))]
    [JsonSerializable(typeof(WireVerify))]
    [JsonSerializable(typeof(WireToken))]
    [JsonSerializable(typeof(List<WireToken>))]
    [JsonSerializable(typeof(WireCreatedToken))]
    [JsonSerializable(typeof(WireTokenRequest))]
    [JsonSerializable(typeof(WireAccount))]
    [JsonSerializable(typeof(List<WireAccount>))]
    [JsonSerializable(typeof(List<WirePermissionGroup>))]
    [JsonSerializable(typeof(WireZone))]
    [JsonSerializable(typeof(List<WireZone>))]
    [JsonSerializable(typeof(WireUser))]
    [JsonSerializable(typeof(WireSecretBinding))]
    [JsonSerializable(typeof(List<WireSecretBinding>))]
    [JsonSerializable(typeof(Dictionary<string, string>))]
    [JsonSerializable(typeof(string))]
    [JsonSerializable(typeof(object))]
    internal sealed partial class CloudflareJsonContext : JsonSerializerContext
    {
    }
}
