namespace CfManagement.Emulator.Envelope;

/// <summary>Thrown by handlers and validators; the pipeline turns it into an error envelope.</summary>
internal sealed class ApiException(int status, int code, string message, IReadOnlyList<ApiError>? chain = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public ApiError Error { get; } = new(code, message, chain);

    public ApiResponse ToResponse() => ApiResponse.Fail(Status, Error);

    public static ApiException BadRequest(int code, string message) => new(400, code, message);
    public static ApiException Forbidden() => new(403, ErrorCodes.AuthenticationError, "Authentication error");
}
