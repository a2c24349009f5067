using System.Net.Http.Headers;
using System.Text;

namespace CfManagement.Emulator.Multipart;

/// <summary>
/// A byte-exact multipart/form-data reader (RFC 7578 over RFC 2046). The boundary comes from the Content-Type
/// (quoted or not, 1-70 characters). Delimiters are CRLF "--boundary"; a part's content is every byte between the
/// blank line ending its headers and the CRLF before the next delimiter, so binary modules (Wasm) come through
/// untouched. A preamble before the first delimiter and an epilogue after the closing one are ignored. Refused, with
/// <see cref="MultipartFormatException"/>: another media type, a missing or over-long boundary, no first delimiter,
/// no closing delimiter, a delimiter not followed by CRLF or "--", headers without their blank line, a header line
/// without a colon, a part without Content-Disposition: form-data; name="...", and a body with no parts.
/// </summary>
internal static class MultipartFormData
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>The boundary of a multipart/form-data Content-Type, or a <see cref="MultipartFormatException"/>.</summary>
    public static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !string.Equals(parsed.MediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new MultipartFormatException("Content-Type must be multipart/form-data with a boundary");
        var raw = parsed.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value;
        var boundary = raw is { Length: >= 2 } && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
            throw new MultipartFormatException("the multipart boundary is missing or longer than 70 characters");
        return boundary;
    }

    public static bool IsMultipart(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<MultipartPart> Parse(ReadOnlySpan<byte> body, string? contentType)
    {
        var boundary = Boundary(contentType);
        var dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);

        // The first delimiter opens the body or follows the preamble's CRLF.
        int position;
        if (body.StartsWith(dashBoundary))
            position = dashBoundary.Length;
        else
        {
            var first = body.IndexOf(delimiter);
            if (first < 0)
                throw new MultipartFormatException("the body does not contain the boundary given in Content-Type");
            position = first + delimiter.Length;
        }

        var parts = new List<MultipartPart>();
        while (true)
        {
            var rest = body[position..];
            if (rest.StartsWith("--"u8))
                break; // the closing delimiter; anything after it is epilogue
            var afterPadding = SkipPadding(rest);
            if (!rest[afterPadding..].StartsWith(Crlf))
                throw new MultipartFormatException("a boundary must be followed by CRLF or \"--\"");
            position += afterPadding + Crlf.Length;

            rest = body[position..];
            int contentStart;
            string headerText;
            if (rest.StartsWith(Crlf))
            {
                headerText = "";
                contentStart = position + Crlf.Length;
            }
            else
            {
                var end = rest.IndexOf(HeaderEnd);
                if (end < 0)
                    throw new MultipartFormatException($"part {parts.Count + 1}: its headers do not end with a blank line");
                headerText = Encoding.UTF8.GetString(rest[..end]);
                contentStart = position + end + HeaderEnd.Length;
            }

            var next = body[contentStart..].IndexOf(delimiter);
            if (next < 0)
                throw new MultipartFormatException("the body has no closing boundary");
            parts.Add(ReadPart(headerText, body.Slice(contentStart, next).ToArray(), parts.Count + 1));
            position = contentStart + next + delimiter.Length;
        }
        if (parts.Count == 0)
            throw new MultipartFormatException("the multipart body has no parts");
        return parts;
    }

    private static int SkipPadding(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && rest[i] is (byte)' ' or (byte)'\t')
            i++;
        return i;
    }

    private static MultipartPart ReadPart(string headerText, byte[] content, int index)
    {
        string? disposition = null, type = null;
        foreach (var line in headerText.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw new MultipartFormatException($"part {index}: malformed header line");
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
                disposition = value;
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                type = value;
        }
        if (disposition is null)
            throw new MultipartFormatException($"part {index}: Content-Disposition is missing");
        var (kind, parameters) = ParseDisposition(disposition, index);
        if (!kind.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            throw new MultipartFormatException($"part {index}: Content-Disposition must be form-data");
        if (!parameters.TryGetValue("name", out var fieldName) || fieldName.Length == 0)
            throw new MultipartFormatException($"part {index}: Content-Disposition has no name");
        parameters.TryGetValue("filename", out var fileName);
        return new MultipartPart(fieldName, fileName, type, content);
    }

    /// <summary>form-data; name="a"; filename="b.js" with quoted strings (backslash escapes) or tokens.</summary>
    private static (string Kind, Dictionary<string, string> Parameters) ParseDisposition(string value, int index)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var semicolon = value.IndexOf(';');
        var kind = (semicolon < 0 ? value : value[..semicolon]).Trim();
        var i = semicolon < 0 ? value.Length : semicolon + 1;
        while (i < value.Length)
        {
            while (i < value.Length && value[i] is ' ' or '\t' or ';')
                i++;
            if (i >= value.Length)
                break;
            var equals = value.IndexOf('=', i);
            if (equals < 0)
                throw new MultipartFormatException($"part {index}: malformed Content-Disposition parameter");
            var name = value[i..equals].Trim();
            i = equals + 1;
            var text = new StringBuilder();
            if (i < value.Length && value[i] == '"')
            {
                i++;
                var closed = false;
                while (i < value.Length)
                {
                    var c = value[i++];
                    if (c == '\\' && i < value.Length)
                        text.Append(value[i++]);
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else
                        text.Append(c);
                }
                if (!closed)
                    throw new MultipartFormatException($"part {index}: unterminated quoted string in Content-Disposition");
            }
            else
            {
                while (i < value.Length && value[i] != ';')
                    text.Append(value[i++]);
            }
            parameters[name] = text.ToString().Trim();
        }
        return (kind, parameters);
    }
}
