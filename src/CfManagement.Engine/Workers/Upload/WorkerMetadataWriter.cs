using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using CfManagement.Http;

namespace CfManagement.Workers.Upload
{
    /// <summary>
    /// The <c>metadata</c> part: compact JSON with wrangler's property order (create-worker-upload-form.ts: main_module,
    /// bindings, compatibility_date, compatibility_flags, keep_bindings, logpush, tail_consumers, annotations,
    /// observability), then tags. The same upload always gives the same bytes.
    /// </summary>
    internal static class WorkerMetadataWriter
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] Write(WorkerUpload upload)
        {
            using (var stream = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(stream, Options))
                {
                    w.WriteStartObject();
                    w.WriteString("main_module", upload.MainModule.Name);
                    w.WriteStartArray("bindings");
                    foreach (var binding in upload.Bindings) WriteBinding(w, binding);
                    w.WriteEndArray();
                    w.WriteString("compatibility_date", upload.CompatibilityDate);
                    w.WriteStartArray("compatibility_flags");
                    foreach (var flag in upload.CompatibilityFlags) w.WriteStringValue(flag);
                    w.WriteEndArray();
                    if (upload.KeepBindings.Count > 0)
                    {
                        w.WriteStartArray("keep_bindings");
                        foreach (var type in upload.KeepBindings) w.WriteStringValue(type);
                        w.WriteEndArray();
                    }
                    if (upload.Logpush.HasValue) w.WriteBoolean("logpush", upload.Logpush.Value);
                    if (upload.TailConsumers.Count > 0)
                    {
                        w.WriteStartArray("tail_consumers");
                        foreach (var consumer in upload.TailConsumers)
                        {
                            w.WriteStartObject();
                            w.WriteString("service", consumer.Service);
                            if (consumer.Environment != null) w.WriteString("environment", consumer.Environment);
                            if (consumer.Namespace != null) w.WriteString("namespace", consumer.Namespace);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }
                    if (upload.Message != null || upload.VersionTag != null)
                    {
                        w.WriteStartObject("annotations");
                        if (upload.Message != null) w.WriteString("workers/message", upload.Message);
                        if (upload.VersionTag != null) w.WriteString("workers/tag", upload.VersionTag);
                        w.WriteEndObject();
                    }
                    if (upload.Observability != null)
                    {
                        w.WritePropertyName("observability");
                        upload.Observability.WriteTo(w);
                    }
                    if (upload.Tags.Count > 0)
                    {
                        w.WriteStartArray("tags");
                        foreach (var tag in upload.Tags) w.WriteStringValue(tag);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                return stream.ToArray();
            }
        }

        private static void WriteBinding(Utf8JsonWriter w, WorkerBinding binding)
        {
            w.WriteStartObject();
            w.WriteString("name", binding.Name);
            w.WriteString("type", binding.Type);
            if (binding.SecretText != null)
            {
                // The plain text exists only while it is written into the body, which is never logged.
                w.WriteString("text", SecureStringReader.ToPlainText(binding.SecretText));
            }
            foreach (var field in binding.Fields)
            {
                w.WritePropertyName(field.Key);
                if (field.Value == null) w.WriteNullValue();
                else field.Value.WriteTo(w);
            }
            w.WriteEndObject();
        }
    }
}
