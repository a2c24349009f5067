using System.Net;
using System.Text;
using System.Text.Json;
using CfManagement.Api;
using Xunit;

namespace CfManagement.Tests.Api;

/// <summary>
/// Paging over a scripted wire: a short page is the last one whatever result_info claims, so a server that
/// over-reports total_count costs no request for the pages it invented.
/// </summary>
public class PagingTests
{
    /// <summary>Answers each list request with the next scripted page and counts the requests.</summary>
    private sealed class PagedWire(params (int Items, int PerPage, int TotalCount)[] pages) : HttpMessageHandler
    {
        public List<string> Queries { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Queries.Add(request.RequestUri!.Query);
            if (Queries.Count > pages.Length) throw new InvalidOperationException($"unscripted request #{Queries.Count}: {request.RequestUri}");
            var (items, perPage, total) = pages[Queries.Count - 1];
            var result = Enumerable.Range(0, items).Select(i => new { id = $"{Queries.Count}-{i}" }).ToArray();
            var body = JsonSerializer.Serialize(new
            {
                success = true, errors = Array.Empty<object>(), messages = Array.Empty<object>(), result,
                result_info = new { page = Queries.Count, per_page = perPage, count = items, total_count = total },
            });
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    /// <summary>The loop every list command runs: next page while HasMore.</summary>
    private static async Task<int> ListAll(PagedWire wire, int perPage = 50)
    {
        var client = new CloudflareClient(new HttpClient(wire) { BaseAddress = new Uri("https://api.example/client/v4/") });
        var items = 0;
        for (var page = 1; ; page++)
        {
            var result = await client.GetPageAsync<JsonElement, JsonElement>("user/tokens", page, e => e, CancellationToken.None, perPage: perPage);
            items += result.Items.Count;
            if (!result.HasMore) return items;
        }
    }

    [Fact]
    public async Task A_short_page_is_the_last_even_when_total_count_claims_more()
    {
        // 3 tokens, but the server claims 5000: the old rule (stop on an empty page only) asked for page 2, 3, ... 100.
        var wire = new PagedWire((3, 50, 5000));
        Assert.Equal(3, await ListAll(wire));
        Assert.Single(wire.Queries);
    }

    [Fact]
    public async Task A_short_page_after_full_ones_ends_the_list()
    {
        var wire = new PagedWire((50, 50, 5000), (50, 50, 5000), (7, 50, 5000));
        Assert.Equal(107, await ListAll(wire));
        Assert.Equal(3, wire.Queries.Count);
    }

    [Fact]
    public async Task A_full_page_is_followed_while_total_count_says_more()
    {
        var wire = new PagedWire((50, 50, 120), (50, 50, 120), (20, 50, 120));
        Assert.Equal(120, await ListAll(wire));
        Assert.Equal(3, wire.Queries.Count);
        Assert.Contains("page=3", wire.Queries[2]);
    }

    [Fact]
    public async Task A_page_size_capped_by_the_server_is_measured_against_the_servers_per_page()
    {
        // Asked for 50 per page, the server serves 20 and says so in result_info.per_page: 20 is a full page.
        var wire = new PagedWire((20, 20, 45), (20, 20, 45), (5, 20, 45));
        Assert.Equal(45, await ListAll(wire));
        Assert.Equal(3, wire.Queries.Count);
    }

    [Fact]
    public async Task An_empty_page_still_ends_the_list()
    {
        var wire = new PagedWire((50, 50, 5000), (0, 50, 5000));
        Assert.Equal(50, await ListAll(wire));
        Assert.Equal(2, wire.Queries.Count);
    }
}
