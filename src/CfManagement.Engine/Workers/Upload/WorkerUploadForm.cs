using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace CfManagement.Workers.Upload
{
    /// <summary>
    /// The multipart/form-data body of a Worker upload, laid out as wrangler's FormData sends it (undici): a
    /// <c>metadata</c> part without a content type, then one part per module named and filed by its module name with its
    /// content type. The boundary is derived from a SHA-256 of the content, so the same upload is the same bytes every
    /// time (a re-deploy can be compared byte for byte), and it is checked against every part.
    /// </summary>
    public sealed class WorkerUploadForm
    {
        private const string BoundaryPrefix = "----CfManagementFormBoundary";
        private static readonly byte[] CrLf = { 13, 10 };

        private WorkerUploadForm(string boundary, byte[] body, int metadataLength)
        {
            Boundary = boundary;
            Body = body;
            MetadataLength = metadataLength;
        }

        public string Boundary { get; }

        /// <summary>The whole body. It holds secret_text values in plain text: never log it; <see cref="Clear"/> after sending.</summary>
        public byte[] Body { get; }

        public int MetadataLength { get; }
        public string ContentType => $"multipart/form-data; boundary={Boundary}";

        public static WorkerUploadForm Build(WorkerUpload upload)
        {
            var metadata = WorkerMetadataWriter.Write(upload);
            var parts = new List<(string Name, string? ContentType, byte[] Content)> { ("metadata", null, metadata) };
            foreach (var module in upload.Modules) parts.Add((module.Name, module.ContentType, module.Content));

            for (var attempt = 0; ; attempt++)
            {
                using (var sha = SHA256.Create())
                {
                    foreach (var part in parts)
                    {
                        var header = Encoding.UTF8.GetBytes($"{part.Name}\n{part.ContentType}\n{part.Content.Length}\n");
                        sha.TransformBlock(header, 0, header.Length, null, 0);
                        sha.TransformBlock(part.Content, 0, part.Content.Length, null, 0);
                    }
                    var salt = Encoding.ASCII.GetBytes(attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    sha.TransformFinalBlock(salt, 0, salt.Length);
                    var boundary = BoundaryPrefix + Hex(sha.Hash!, 16);
                    if (parts.TrueForAll(p => IndexOf(p.Content, Encoding.ASCII.GetBytes("--" + boundary)) < 0))
                        return new WorkerUploadForm(boundary, Layout(boundary, parts), metadata.Length);
                }
            }
        }

        /// <summary>A fresh HttpContent over the body (the form stays the owner of the bytes).</summary>
        public HttpContent ToContent()
        {
            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            return content;
        }

        /// <summary>Overwrites the body, which may hold secret values, once it has been sent.</summary>
        public void Clear() => Array.Clear(Body, 0, Body.Length);

        private static byte[] Layout(string boundary, List<(string Name, string? ContentType, byte[] Content)> parts)
        {
            using (var stream = new MemoryStream())
            {
                foreach (var part in parts)
                {
                    var name = Escape(part.Name);
                    var header = new StringBuilder().Append("--").Append(boundary).Append("\r\n")
                        .Append("Content-Disposition: form-data; name=\"").Append(name).Append('"');
                    if (part.ContentType != null)
                        header.Append("; filename=\"").Append(name).Append("\"\r\nContent-Type: ").Append(part.ContentType);
                    header.Append("\r\n\r\n");
                    Write(stream, Encoding.UTF8.GetBytes(header.ToString()));
                    Write(stream, part.Content);
                    Write(stream, CrLf);
                }
                Write(stream, Encoding.ASCII.GetBytes("--" + boundary + "--\r\n"));
                return stream.ToArray();
            }
        }

        /// <summary>undici's escaping of names in Content-Disposition: quote, CR and LF percent-encoded.</summary>
        private static string Escape(string name) => name.Replace("\"", "%22").Replace("\r", "%0D").Replace("\n", "%0A");

        private static void Write(Stream stream, byte[] bytes) => stream.Write(bytes, 0, bytes.Length);

        private static string Hex(byte[] bytes, int count)
        {
            var sb = new StringBuilder(count * 2);
            for (var i = 0; i < count; i++) sb.Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Length; i++)
            {
                var match = true;
                for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
                if (match) return i;
            }
            return -1;
        }
    }
}
