namespace CfManagement.Emulator.Multipart;

/// <summary>A body that is not well-formed multipart/form-data; the message says what is wrong (never quotes part content).</summary>
internal sealed class MultipartFormatException(string message) : Exception(message);
