using System.Text.Json;
using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Envelope;

/// <summary>Serialises an <see cref="ApiResponse"/> as the Cloudflare v4 envelope (snake_case).</summary>
internal static class EnvelopeWriter
{
    public static JsonObject ToJson(ApiResponse response)
    {
        var envelope = new JsonObject
        {
            ["success"] = response.Success,
            ["errors"] = ErrorsToJson(response.Errors),
            ["messages"] = ErrorsToJson(response.Messages),
            ["result"] = response.Result?.DeepClone(),
        };
        if (response.ResultInfo is { } info)
        {
            envelope["result_info"] = new JsonObject
            {
                ["page"] = info.Page,
                ["per_page"] = info.PerPage,
                ["count"] = info.Count,
                ["total_count"] = info.TotalCount,
                ["total_pages"] = info.TotalPages,
            };
        }
        return envelope;
    }

    public static async Task WriteAsync(HttpContext context, ApiResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
            context.Response.Headers[name] = value;
        if (response.RawBody is { } raw)
        {
            context.Response.ContentType = response.RawContentType;
            await context.Response.Body.WriteAsync(raw, context.RequestAborted);
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        var json = ToJson(response).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static JsonArray ErrorsToJson(IReadOnlyList<ApiError> errors)
    {
        var array = new JsonArray();
        foreach (var error in errors)
            array.Add(ErrorToJson(error));
        return array;
    }

    private static JsonObject ErrorToJson(ApiError error)
    {
        var obj = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        if (error.ErrorChain is { Count: > 0 } chain)
            obj["error_chain"] = ErrorsToJson(chain);
        return obj;
    }
}
