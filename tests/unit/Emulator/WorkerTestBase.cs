using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CfManagement.Tests.Emulator;

/// <summary>Helpers for the Workers platform contract tests: multipart uploads as a real client sends them.</summary>
public abstract class WorkerTestBase : EmulatorTestBase
{
    protected const string ModuleSource = "export default {\n  async fetch(request, env) {\n    return new Response('hi');\n  },\n};\n";

    protected string Scripts => $"accounts/{AccountId}/workers/scripts";
    protected string Script(string name) => $"{Scripts}/{name}";
    protected string Token => State.AdminTokenValue;

    protected static JsonObject Metadata(params JsonObject[] bindings) => new()
    {
        ["main_module"] = "index.js",
        ["compatibility_date"] = "2025-01-01",
        ["bindings"] = new JsonArray(bindings.Select(b => (JsonNode?)b).ToArray()),
    };

    protected static JsonObject Binding(string name, string type, params (string Key, JsonNode? Value)[] fields)
    {
        var binding = new JsonObject { ["name"] = name, ["type"] = type };
        foreach (var (key, value) in fields)
            binding[key] = value;
        return binding;
    }

    protected static JsonObject SecretBinding(string name, string text) => Binding(name, "secret_text", ("text", text));

    /// <summary>A multipart body: the metadata part and index.js (or the given modules).</summary>
    protected static MultipartFormDataContent Form(JsonObject metadata, params (string Name, string Type, byte[] Content)[] modules)
    {
        var form = new MultipartFormDataContent();
        var meta = new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json");
        form.Add(meta, "metadata");
        if (modules.Length == 0)
            modules = [("index.js", "application/javascript+module", Encoding.UTF8.GetBytes(ModuleSource))];
        foreach (var (name, type, content) in modules)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            form.Add(part, name, name);
        }
        return form;
    }

    protected Task<Reply> SendContent(string method, string path, HttpContent content, string? token = null) =>
        SendRaw(method, path, null, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
            request.Content = content;
        });

    protected Task<Reply> Upload(string name, JsonObject metadata, string? query = null) =>
        SendContent("PUT", Script(name) + query, Form(metadata));

    protected Task<Reply> UploadVersion(string name, JsonObject metadata, string? query = null) =>
        SendContent("POST", Script(name) + "/versions" + query, Form(metadata));

    protected Task<Reply> Deploy(string name, params (string VersionId, double Percentage)[] versions) =>
        DeployWith(name, "", versions);

    protected Task<Reply> DeployWith(string name, string query, params (string VersionId, double Percentage)[] versions) =>
        Send("POST", Script(name) + "/deployments" + query, Token, new JsonObject
        {
            ["strategy"] = "percentage",
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["version_id"] = v.VersionId, ["percentage"] = v.Percentage }).ToArray()),
        });

    protected async Task<List<JsonObject>> Versions(string name)
    {
        var reply = await Send("GET", Script(name) + "/versions", Token);
        AssertOk(reply);
        return reply.Result!["items"]!.AsArray().Select(v => v!.AsObject()).ToList();
    }

    protected async Task<List<JsonObject>> Deployments(string name)
    {
        var reply = await Send("GET", Script(name) + "/deployments", Token);
        AssertOk(reply);
        return reply.Result!["deployments"]!.AsArray().Select(v => v!.AsObject()).ToList();
    }

    protected static string Str(JsonNode? node) => node!.GetValue<string>();

    protected Task<Reply> PutSecret(string script, string name, string text) =>
        Send("PUT", Script(script) + "/secrets", Token, new JsonObject { ["name"] = name, ["text"] = text, ["type"] = "secret_text" });

    protected Task<Reply> MergePatch(string path, JsonNode body) =>
        SendContent("PATCH", path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/merge-patch+json"));
}
