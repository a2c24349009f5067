using System.Text;
using CfManagement.Emulator.Multipart;
using CfManagement.Emulator.Recording;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class SecretRedactorTests
{
    private const string Secret = "s3cr3t-never-logged";
    private const string ScriptPath = "/client/v4/accounts/9a7806061c88ada191ed06f989cc3dac/workers/scripts/w";

    [Fact]
    public void Multipart_metadata_secret_bindings_are_redacted_and_modules_reduced_to_sizes()
    {
        var metadata = "{\"main_module\":\"index.js\",\"bindings\":[{\"name\":\"S\",\"type\":\"secret_text\",\"text\":\"" + Secret +
                       "\"},{\"name\":\"K\",\"type\":\"secret_key\",\"key_base64\":\"" + Secret + "\"}]}";
        var (body, contentType) = MultipartWriter.Write([
            new MultipartPart("metadata", null, "application/json", Encoding.UTF8.GetBytes(metadata)),
            new MultipartPart("index.js", "index.js", "application/javascript+module", Encoding.UTF8.GetBytes("const x = '" + Secret + "';")),
        ]);

        var logged = SecretRedactor.ForLog(ScriptPath, contentType, body);

        Assert.DoesNotContain(Secret, logged);
        Assert.Contains("\"main_module\":\"index.js\"", logged);
        Assert.Contains("\"name\":\"S\"", logged);
        Assert.Contains("[redacted]", logged);
        Assert.Contains("\"bytes\":", logged);
    }

    [Fact]
    public void Settings_part_is_redacted_and_malformed_multipart_replaced_whole()
    {
        var (body, contentType) = MultipartWriter.Write([
            new MultipartPart("settings", null, "application/json",
                Encoding.UTF8.GetBytes("{\"bindings\":[{\"name\":\"S\",\"type\":\"secret_text\",\"text\":\"" + Secret + "\"}]}")),
        ]);
        Assert.DoesNotContain(Secret, SecretRedactor.ForLog(ScriptPath + "/settings", contentType, body));
        Assert.Equal(SecretRedactor.Placeholder,
            SecretRedactor.ForLog(ScriptPath, "multipart/form-data; boundary=nope", Encoding.UTF8.GetBytes("text=" + Secret)));
    }

    [Theory]
    [InlineData("/client/v4/accounts/a/workers/workers/w/versions/latest", "{\"env\":{\"S\":{\"type\":\"secret_text\",\"text\":\"" + Secret + "\"}}}")]
    [InlineData("/client/v4/accounts/a/workers/scripts/w/secrets", "{\"name\":\"S\",\"text\":\"" + Secret + "\"")]
    [InlineData("/client/v4/accounts/a/workers/scripts/w", "addEventListener('fetch', () => '" + Secret + "')")]
    public void Worker_json_and_non_json_bodies_never_keep_secret_text(string path, string body)
    {
        var logged = SecretRedactor.ForLog(path, "text/plain;charset=UTF-8", Encoding.UTF8.GetBytes(body));
        Assert.DoesNotContain(Secret, logged);
    }

    [Fact]
    public void Other_routes_are_logged_as_sent() =>
        Assert.Equal("{\"text\":1", SecretRedactor.ForLog("/client/v4/user/tokens", "application/json", Encoding.UTF8.GetBytes("{\"text\":1")));
}
