using System.Text.Json.Nodes;

namespace CfManagement.Emulator.Envelope;

/// <summary>What a handler answers: status, result or errors, and extra headers.</summary>
internal sealed class ApiResponse
{
    public int Status { get; init; } = 200;
    public JsonNode? Result { get; init; }
    public IReadOnlyList<ApiError> Errors { get; init; } = [];
    public IReadOnlyList<ApiError> Messages { get; init; } = [];
    public ResultInfo? ResultInfo { get; init; }
    /// <summary>A body sent as is instead of the envelope (Worker script content is multipart or JavaScript).</summary>
    public byte[]? RawBody { get; init; }
    public string? RawContentType { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Success => Errors.Count == 0;

    public static ApiResponse Ok(JsonNode? result, ResultInfo? info = null) =>
        new() { Result = result, ResultInfo = info };

    public static ApiResponse Raw(byte[] body, string contentType) => new() { RawBody = body, RawContentType = contentType };

    public static ApiResponse Fail(int status, int code, string message, IReadOnlyList<ApiError>? chain = null) =>
        Fail(status, new ApiError(code, message, chain));

    public static ApiResponse Fail(int status, ApiError error) =>
        new() { Status = status, Errors = [error] };
}
