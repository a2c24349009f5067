using System.Text.Json;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>The emulator's tail control API (/__emulator/tails): what tails exist, and making events.</summary>
internal sealed class EmulatorTails(CloudflareEmulator emulator)
{
    public sealed record Tail(string Id, string Target, bool Connected, bool? Debug);

    public IReadOnlyList<Tail> All()
    {
        using var http = new HttpClient();
        var json = http.GetStringAsync(new Uri(emulator.BaseUri, "/__emulator/tails")).GetAwaiter().GetResult();
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("result").EnumerateArray().Select(t => new Tail(
            t.GetProperty("id").GetString()!, t.GetProperty("target").GetString()!, t.GetProperty("connected").GetBoolean(),
            t.TryGetProperty("debug", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False ? d.GetBoolean() : null)).ToList();
    }

    public async Task PostAsync(string path, object body)
    {
        using var admin = new HttpClient();
        var reply = await admin.PostAsync(new Uri(emulator.BaseUri, "/__emulator/tails/" + path),
            new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
    }
}
