namespace CfManagement.Emulator.Multipart;

/// <summary>
/// One part of a multipart/form-data body: its form field <see cref="Name"/>, the optional <see cref="FileName"/>,
/// its Content-Type (null when the part sent none; RFC 7578 then means text/plain) and its bytes exactly as sent.
/// </summary>
internal sealed record MultipartPart(string Name, string? FileName, string? ContentType, byte[] Content)
{
    /// <summary>The media type without parameters, lower case ("application/javascript+module"), or null.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim().ToLowerInvariant();
}
