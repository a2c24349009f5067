using System.Text;

namespace CfManagement.Emulator.Multipart;

/// <summary>Writes parts as multipart/form-data (CRLF delimiters, a random boundary), the inverse of <see cref="MultipartFormData"/>.</summary>
internal static class MultipartWriter
{
    public static (byte[] Body, string ContentType) Write(IEnumerable<MultipartPart> parts)
    {
        var boundary = "----cfemulator" + Ids.NewHexId();
        using var stream = new MemoryStream();
        foreach (var part in parts)
        {
            var header = new StringBuilder().Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Disposition: form-data; name=\"").Append(Escape(part.Name)).Append('"');
            if (part.FileName is not null)
                header.Append("; filename=\"").Append(Escape(part.FileName)).Append('"');
            header.Append("\r\n");
            if (part.ContentType is not null)
                header.Append("Content-Type: ").Append(part.ContentType).Append("\r\n");
            header.Append("\r\n");
            stream.Write(Encoding.UTF8.GetBytes(header.ToString()));
            stream.Write(part.Content);
            stream.Write("\r\n"u8);
        }
        stream.Write(Encoding.ASCII.GetBytes("--" + boundary + "--\r\n"));
        return (stream.ToArray(), "multipart/form-data; boundary=" + boundary);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
