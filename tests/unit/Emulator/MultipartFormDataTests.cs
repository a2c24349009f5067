using System.Text;
using CfManagement.Emulator.Multipart;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class MultipartFormDataTests
{
    private const string Type = "multipart/form-data; boundary=XyZ";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Reads_names_filenames_types_and_exact_bytes()
    {
        var wasm = new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x0a, 0x2d, 0x2d, 0xff };
        using var body = new MemoryStream();
        body.Write(Bytes("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"main_module\":\"index.js\"}\r\n"));
        body.Write(Bytes("--XyZ\r\nContent-Disposition: form-data; name=\"index.js\"; filename=\"index.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport default {};\n\r\n"));
        body.Write(Bytes("--XyZ  \r\ncontent-disposition: form-data; name=\"m.wasm\"; filename=\"a \\\"q\\\".wasm\"\r\n\r\n"));
        body.Write(wasm);
        body.Write(Bytes("\r\n--XyZ--\r\nepilogue"));

        var parts = MultipartFormData.Parse(body.ToArray(), Type);

        Assert.Equal(["metadata", "index.js", "m.wasm"], parts.Select(p => p.Name));
        Assert.Equal("{\"main_module\":\"index.js\"}", Encoding.UTF8.GetString(parts[0].Content));
        Assert.Null(parts[0].FileName);
        Assert.Equal("application/json", parts[0].MediaType);
        Assert.Equal("index.js", parts[1].FileName);
        Assert.Equal("export default {};\n", Encoding.UTF8.GetString(parts[1].Content));
        Assert.Equal("a \"q\".wasm", parts[2].FileName);
        Assert.Null(parts[2].ContentType);
        Assert.Equal(wasm, parts[2].Content);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=\"XyZ\"")]
    [InlineData("Multipart/Form-Data; charset=utf-8; boundary=XyZ")]
    public void Takes_the_boundary_quoted_or_not(string contentType)
    {
        var parts = MultipartFormData.Parse(Bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--"), contentType);
        Assert.Equal("a", Assert.Single(parts).Name);
        Assert.Equal("1", Encoding.UTF8.GetString(parts[0].Content));
    }

    [Theory]
    [InlineData("application/json", "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--")]
    [InlineData("multipart/form-data", "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--")]
    [InlineData(Type, "nothing here")]
    [InlineData(Type, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n")]
    [InlineData(Type, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ")]
    [InlineData(Type, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n1\r\n--XyZ--")]
    [InlineData(Type, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--")]
    [InlineData(Type, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--")]
    [InlineData(Type, "--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\n1\r\n--XyZ--")]
    [InlineData(Type, "--XyZ\r\nbroken header\r\n\r\n1\r\n--XyZ--")]
    [InlineData(Type, "--XyZ\nContent-Disposition: form-data; name=a\n\n1\n--XyZ--")]
    [InlineData(Type, "--XyZ--")]
    [InlineData(Type, "--XyZjunk\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--")]
    public void Refuses_malformed_bodies(string contentType, string body) =>
        Assert.Throws<MultipartFormatException>(() => MultipartFormData.Parse(Bytes(body), contentType));

    [Fact]
    public void Writer_output_reads_back_byte_for_byte()
    {
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var (body, contentType) = MultipartWriter.Write([
            new MultipartPart("index.js", "index.js", "application/javascript+module", Bytes("export default {}")),
            new MultipartPart("data.bin", "data.bin", "application/octet-stream", binary),
        ]);
        var parts = MultipartFormData.Parse(body, contentType);
        Assert.Equal(["index.js", "data.bin"], parts.Select(p => p.Name));
        Assert.Equal(binary, parts[1].Content);
        Assert.Equal("application/javascript+module", parts[0].ContentType);
    }
}
