using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfManagement.Json
{
    /// <summary>
    /// Reads a policy's resources straight into strings: a string value as itself, anything else (a nested map of
    /// zone resources, a number, null) as its raw JSON text. Decoding into JsonElement first cost a JsonDocument per
    /// value, which dominated listing thousands of tokens. Writing is the plain string map.
    /// </summary>
    internal sealed class ResourceMapConverter : JsonConverter<Dictionary<string, string>>
    {
        public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("policy resources must be a JSON object");
            var map = new Dictionary<string, string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) map[key] = reader.GetString() ?? "";
                else
                    using (var value = JsonDocument.ParseValue(ref reader))
                        map[key] = value.RootElement.GetRawText();
            }
            return map;
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var pair in value) writer.WriteString(pair.Key, pair.Value);
            writer.WriteEndObject();
        }
    }
}
