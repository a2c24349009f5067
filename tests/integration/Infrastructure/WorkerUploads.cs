using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// Creates Workers and versions in the emulator through its HTTP API, as wrangler uploads them (multipart: a metadata
/// part and one ES module), so the deployment commands have something to deploy before Publish-CfWorker exists.
/// </summary>
public sealed class WorkerUploads(Uri apiBase, string accountId, string token)
{
    private static readonly HttpClient Http = new();

    /// <summary>PUT .../workers/scripts/{name}: a new Worker (or a new version of one), deployed at 100%. Returns the version now serving.</summary>
    public async Task<string> UploadScriptAsync(string name, string body = "hi", params string[] tags)
    {
        var metadata = Metadata(body);
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        await SendAsync(HttpMethod.Put, $"accounts/{accountId}/workers/scripts/{name}", Form(metadata, body));
        var deployments = await SendAsync(HttpMethod.Get, $"accounts/{accountId}/workers/scripts/{name}/deployments", null);
        return deployments["deployments"]![0]!["versions"]![0]!["version_id"]!.GetValue<string>();
    }

    /// <summary>POST .../versions: a version that serves no traffic until deployed. Returns its id.</summary>
    public async Task<string> UploadVersionAsync(string name, string body, string? message = null)
    {
        var metadata = Metadata(body);
        if (message != null) metadata["annotations"] = new JsonObject { ["workers/message"] = message };
        var result = await SendAsync(HttpMethod.Post, $"accounts/{accountId}/workers/scripts/{name}/versions", Form(metadata, body));
        return result["id"]!.GetValue<string>();
    }

    /// <summary>PUT .../secrets: a secret change, which later blocks rolling back to older versions without force (10220).</summary>
    public Task PutSecretAsync(string name, string secretName, string text) =>
        SendAsync(HttpMethod.Put, $"accounts/{accountId}/workers/scripts/{name}/secrets",
            new StringContent(new JsonObject { ["name"] = secretName, ["text"] = text, ["type"] = "secret_text" }.ToJsonString(), Encoding.UTF8, "application/json"));

    private static JsonObject Metadata(string body) => new()
    {
        ["main_module"] = "index.js",
        ["compatibility_date"] = "2025-01-01",
        ["bindings"] = new JsonArray(),
        ["keep_bindings"] = new JsonArray("secret_text", "secret_key"),
    };

    private static MultipartFormDataContent Form(JsonObject metadata, string body)
    {
        var form = new MultipartFormDataContent { { new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json"), "metadata" } };
        var module = new ByteArrayContent(Encoding.UTF8.GetBytes($"export default {{ async fetch() {{ return new Response('{body}'); }} }};\n"));
        module.Headers.ContentType = MediaTypeHeaderValue.Parse("application/javascript+module");
        form.Add(module, "index.js", "index.js");
        return form;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiBase, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["result"]!;
    }
}
