using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using CfManagement.Ledger;
using Xunit;

namespace CfManagement.Tests.Ledger;

/// <summary>
/// The ledger contract on D1, through the real HTTP transport against the in-process emulator
/// (one emulator per test, one database per store).
/// </summary>
public sealed class D1LedgerContractTests : LedgerContractTests
{
    private CloudflareEmulator? _emulator;
    private HttpClient? _client;
    private string? _mainDatabaseId;

    protected override string ExpectedEngine => "D1";

    private CloudflareEmulator Emulator => _emulator!;

    protected override async Task<ILedger> CreateLedgerAsync()
    {
        if (_emulator is null)
        {
            _emulator = await CloudflareEmulator.StartAsync();
            _client = new HttpClient { BaseAddress = _emulator.BaseUri };
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.State.AdminTokenValue);
        }

        var response = await _client!.PostAsJsonAsync($"accounts/{Emulator.State.AccountId}/d1/database",
            new JsonObject { ["name"] = "ledger-" + Guid.NewGuid().ToString("N") });
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var databaseId = body["result"]!["uuid"]!.GetValue<string>();
        _mainDatabaseId ??= databaseId;
        return Open(databaseId);
    }

    protected override ILedger OpenSecondInstance() => Open(_mainDatabaseId!);

    private D1Ledger Open(string databaseId) =>
        new(new D1HttpTransport(_client!, Emulator.State.AccountId, databaseId), databaseId);

    protected override async Task CleanupAsync()
    {
        _client?.Dispose();
        if (_emulator is not null)
            await _emulator.DisposeAsync();
    }

    [Fact]
    public void Location_names_the_database()
    {
        Assert.Equal("d1:" + _mainDatabaseId, Ledger.Location);
    }

    [Fact]
    public async Task Server_errors_surface_as_LedgerException_with_cloudflare_codes()
    {
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, PathContains = "/query", Times = 1 });

        var error = await Assert.ThrowsAsync<LedgerException>(() => Ledger.AppendAsync(Entry(detail: "marker-in-request-body"), Ct));

        Assert.Equal(500, error.HttpStatus);
        Assert.Contains(10013, error.Codes);
        Assert.Contains("10013", error.Message);
        Assert.DoesNotContain("marker-in-request-body", error.ToString());
        // The fault was used up; the ledger works again and nothing half-written shows.
        Assert.Empty(await Ledger.QueryAsync(new LedgerQuery(), Ct));
    }

    [Fact]
    public async Task Authentication_failures_keep_the_status_and_code()
    {
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 403, PathContains = "/query", Times = 1 });

        var error = await Assert.ThrowsAsync<LedgerException>(() => Ledger.QueryAsync(new LedgerQuery(), Ct));

        Assert.Equal(403, error.HttpStatus);
        Assert.Contains(10000, error.Codes);
    }

    [Fact]
    public async Task Sql_errors_carry_the_D1_code()
    {
        var transport = new D1HttpTransport(_client!, Emulator.State.AccountId, _mainDatabaseId!);

        var error = await Assert.ThrowsAsync<LedgerException>(() => transport.QueryAsync("SELECT * FROM no_such_table", Array.Empty<object?>(), Ct));

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(new[] { 7500 }, error.Codes);
        Assert.Contains("no such table", error.Message);
    }

    [Fact]
    public async Task Unknown_database_is_a_LedgerException()
    {
        using var missing = Open(Guid.NewGuid().ToString());
        var error = await Assert.ThrowsAsync<LedgerException>(() => missing.InitializeAsync(Ct));
        Assert.Equal(404, error.HttpStatus);
        Assert.Contains(7404, error.Codes);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_LedgerException()
    {
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Reset, PathContains = "/query", Times = 1 });

        var error = await Assert.ThrowsAsync<LedgerException>(() => Ledger.QueryAsync(new LedgerQuery(), Ct));

        Assert.Null(error.HttpStatus);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }
}
