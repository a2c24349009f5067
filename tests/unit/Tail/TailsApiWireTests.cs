using CfManagement.Api;
using CfManagement.Tail;
using CfManagement.Tests.Workers;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>The tail create/list/delete calls: paths, the filters body, the models read back.</summary>
public class TailsApiWireTests
{
    private const string Account = "023e105f4ecef8ad9ca31a8372d0c353";

    [Fact]
    public async Task Create_posts_the_filters_and_reads_id_url_and_expiry()
    {
        var wire = new RecordingWire().Result("""{"id":"03dc9f77817b488fb26c5861ec18f791","url":"wss://tail.developers.workers.dev/03dc9f77817b488fb26c5861ec18f791","expires_at":"2025-01-01T01:00:00Z"}""");
        var tail = await new TailsApi(wire.Client()).CreateAsync(Account, "my script", new TailFilters { Status = ["canceled"] }, CancellationToken.None);

        var (method, path, body, _) = Assert.Single(wire.Sent);
        Assert.Equal("POST", method);
        Assert.Equal($"/client/v4/accounts/{Account}/workers/scripts/my%20script/tails", path);
        Assert.Equal("""{"filters":[{"outcome":["canceled"]}]}""", body);
        Assert.Equal(("my script", "03dc9f77817b488fb26c5861ec18f791"), (tail.ScriptName, tail.Id));
        Assert.Equal(new Uri("wss://tail.developers.workers.dev/03dc9f77817b488fb26c5861ec18f791"), tail.Url);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero), tail.ExpiresAt);
    }

    [Fact]
    public async Task List_and_delete()
    {
        var wire = new RecordingWire().Result("""[{"id":"a1","expires_at":"2025-01-01T01:00:00Z"},{"id":"b2"}]""").Result("null");
        var api = new TailsApi(wire.Client());
        var tails = await api.ListAsync(Account, "w", CancellationToken.None);
        Assert.Equal(["a1", "b2"], tails.Select(t => t.Id));
        Assert.Null(tails[0].Url);
        await api.DeleteAsync(Account, "w", "a1", CancellationToken.None);
        Assert.Equal(("DELETE", $"/client/v4/accounts/{Account}/workers/scripts/w/tails/a1"), (wire.Sent[1].Method, wire.Sent[1].PathAndQuery));
    }

    [Fact]
    public async Task Create_failures_keep_cloudflares_code()
    {
        var wire = new RecordingWire().Error(System.Net.HttpStatusCode.BadRequest, 10057, "too much traffic for live tailing");
        var ex = await Assert.ThrowsAnyAsync<CloudflareApiException>(() =>
            new TailsApi(wire.Client()).CreateAsync(Account, "busy", new TailFilters(), CancellationToken.None));
        Assert.Contains(ex.Errors, e => e.Code == 10057);
        Assert.Single(wire.Sent);
    }
}
