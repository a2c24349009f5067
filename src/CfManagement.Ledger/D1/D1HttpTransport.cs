using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CfManagement.Ledger;

/// <summary>
/// Runs statements through D1's HTTP API: <c>POST accounts/{account}/d1/database/{database}/query</c> with
/// <c>{"sql": ..., "params": [...]}</c>. The HttpClient is the caller's: its BaseAddress ends in /client/v4/ and it
/// carries its own authentication (and any retry/rate-limit handling). Failures throw <see cref="LedgerException"/>
/// with Cloudflare's codes and messages; the request body (which holds ledger data) is never put in an error.
/// </summary>
public sealed class D1HttpTransport : ID1Transport
{
    private readonly HttpClient _client;
    private readonly string _path;

    public D1HttpTransport(HttpClient client, string accountId, string databaseId)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (string.IsNullOrWhiteSpace(accountId)) throw new ArgumentException("An account id is required.", nameof(accountId));
        if (string.IsNullOrWhiteSpace(databaseId)) throw new ArgumentException("A D1 database id is required.", nameof(databaseId));
        // Relative (no leading slash) so it resolves under the client's /client/v4/ base address.
        _path = $"accounts/{Uri.EscapeDataString(accountId)}/d1/database/{Uri.EscapeDataString(databaseId)}/query";
    }

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(
        string sql, IReadOnlyList<object?> parameters, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = Body(sql, parameters) };
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new LedgerException($"The D1 ledger could not be reached: {e.Message}", null, null, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new LedgerException("The D1 ledger query timed out.", null, null, e);
        }

        using (response)
        {
            var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return D1Envelope.ReadRows((int)response.StatusCode, response.IsSuccessStatusCode, body);
        }
    }

    private static HttpContent Body(string sql, IReadOnlyList<object?> parameters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sql", sql);
            json.WriteStartArray("params");
            foreach (var value in parameters)
                WriteValue(json, value);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    // D1 params are JSON scalars; the ledger only ever passes strings, integers and null.
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case double d: json.WriteNumberValue(d); break;
            case bool b: json.WriteBooleanValue(b); break;
            case IFormattable f: json.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }
}
