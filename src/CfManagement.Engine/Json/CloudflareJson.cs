using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
            // Generated metadata first (cold start); reflection only for a type the context does not list, so a new
            // wire type works before anyone adds it there.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(CloudflareJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
    }
}
