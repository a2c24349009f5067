using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfManagement.Json
{
    /// <summary>The one set of serializer options for Cloudflare's snake_case JSON.</summary>
    internal static class CloudflareJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
    }
}
