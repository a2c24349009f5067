using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>One emulator per test (xunit creates a class instance per test), plus plain-HttpClient helpers.</summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    protected CloudflareEmulator Cf { get; private set; } = null!;
    protected HttpClient Http { get; } = new();
    protected EmulatorState State => Cf.State;
    protected string AccountId => Cf.State.AccountId;

    protected virtual EmulatorOptions Options => new();

    public async Task InitializeAsync() => Cf = await CloudflareEmulator.StartAsync(Options);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cf.DisposeAsync();
    }

    protected sealed record Reply(HttpStatusCode Status, JsonObject Json, HttpResponseMessage Raw)
    {
        public JsonNode? Result => Json["result"];
        public int ErrorCode => Json["errors"]![0]!["code"]!.GetValue<int>();
        public string ErrorMessage => Json["errors"]![0]!["message"]!.GetValue<string>();
    }

    protected Task<Reply> Send(string method, string path, string? token, string? body = null) =>
        SendRaw(method, path, body, request =>
        {
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });

    protected Task<Reply> Send(string method, string path, string? token, JsonNode body) => Send(method, path, token, body.ToJsonString());

    protected async Task<Reply> SendRaw(string method, string path, string? body, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Cf.BaseUri, path.TrimStart('/')));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        configure(request);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, JsonNode.Parse(text)!.AsObject(), response);
    }

    protected static void AssertError(Reply reply, HttpStatusCode status, int code)
    {
        Assert.Equal(status, reply.Status);
        Assert.False(reply.Json["success"]!.GetValue<bool>());
        Assert.Equal(code, reply.ErrorCode);
        Assert.Null(reply.Result);
    }

    protected static void AssertOk(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status}: {reply.Json.ToJsonString()}");
        Assert.True(reply.Json["success"]!.GetValue<bool>());
    }

    /// <summary>A create/update body: one allow policy with these groups on these resources.</summary>
    protected static JsonObject TokenBody(string name, IEnumerable<string> groupIds, IDictionary<string, string> resources, JsonObject? extra = null)
    {
        var resourceJson = new JsonObject();
        foreach (var (key, value) in resources)
            resourceJson[key] = value;
        var body = new JsonObject
        {
            ["name"] = name,
            ["policies"] = new JsonArray(new JsonObject
            {
                ["effect"] = "allow",
                ["resources"] = resourceJson,
                ["permission_groups"] = new JsonArray(groupIds.Select(id => (JsonNode?)new JsonObject { ["id"] = id }).ToArray()),
            }),
        };
        foreach (var (key, value) in extra ?? [])
            body[key] = value?.DeepClone();
        return body;
    }

    protected Dictionary<string, string> AccountResource => new() { ["com.cloudflare.api.account." + AccountId] = "*" };
    protected static Dictionary<string, string> AllZones => new() { ["com.cloudflare.api.account.zone.*"] = "*" };
    protected string Id(string name, string? scope = null) => State.PermissionGroupId(name, scope);
}
