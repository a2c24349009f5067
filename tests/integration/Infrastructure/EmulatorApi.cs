using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// Calls to the emulator's Cloudflare API made behind the module's back, as another tool or a killed process would:
/// Pages deployments (what wrangler pages deploy leaves) and Worker tails nobody deletes.
/// </summary>
public sealed class EmulatorApi(Uri apiBase, string accountId, string token)
{
    private static readonly HttpClient Http = new();

    /// <summary>POST .../pages/projects/{p}/deployments: a finished deployment of the branch (the production branch when null). Returns its id.</summary>
    public async Task<string> DeployPagesAsync(string project, string? branch = null)
    {
        var form = new MultipartFormDataContent();
        if (branch != null) form.Add(new StringContent(branch), "branch");
        var result = await SendAsync(HttpMethod.Post, $"accounts/{accountId}/pages/projects/{project}/deployments", form);
        return result["id"]!.GetValue<string>();
    }

    /// <summary>POST .../workers/scripts/{name}/tails, never deleted: a tail left behind. Returns its id.</summary>
    public async Task<string> CreateWorkerTailAsync(string script)
    {
        var result = await SendAsync(HttpMethod.Post, $"accounts/{accountId}/workers/scripts/{script}/tails",
            new StringContent("""{"filters":[]}""", Encoding.UTF8, "application/json"));
        return result["id"]!.GetValue<string>();
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
