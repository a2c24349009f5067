using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace CfManagement.Ledger;

/// <summary>
/// Reads D1's /query answer: <c>{"success":true,"errors":[],"result":[{"results":[{col:val}],"success":true,"meta":{}}]}</c>.
/// Errors (HTTP failure or success:false) become <see cref="LedgerException"/> with Cloudflare's codes and messages.
/// </summary>
internal static class D1Envelope
{
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> ReadRows(int httpStatus, bool httpOk, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new LedgerException($"D1 answered HTTP {httpStatus} with a body that is not a Cloudflare API response.", null, httpStatus);
        }

        using (document)
        {
            var root = document.RootElement;
            var success = root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("success", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (!httpOk || !success)
                throw Failure(root, httpStatus);

            var rows = new List<IReadOnlyDictionary<string, object?>>();
            if (!root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
                return rows;

            // We send one statement, so there is one entry; reading them all loses nothing if that ever changes.
            foreach (var statement in result.EnumerateArray())
            {
                if (statement.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.False)
                    throw Failure(statement, httpStatus);
                if (!statement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var row in results.EnumerateArray())
                    rows.Add(row.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value), StringComparer.Ordinal));
            }
            return rows;
        }
    }

    private static LedgerException Failure(JsonElement envelope, int httpStatus)
    {
        var codes = new List<int>();
        var messages = new List<string>();
        if (envelope.ValueKind == JsonValueKind.Object
            && envelope.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind != JsonValueKind.Object) continue;
                var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int?)null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                if (code is { } value) codes.Add(value);
                messages.Add(code is null ? message ?? "(no message)" : $"[{code}] {message}");
            }
        }
        var detail = messages.Count == 0 ? "no error details" : string.Join("; ", messages);
        return new LedgerException($"The D1 ledger query failed (HTTP {httpStatus}): {detail}", codes, httpStatus);
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(), // blobs arrive as arrays; the ledger stores none
    };
}
